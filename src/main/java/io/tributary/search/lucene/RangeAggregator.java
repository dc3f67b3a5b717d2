package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;

/**
 * {@code range} (and {@code date_range}): one bucket per range, {@code from} inclusive and
 * {@code to} exclusive, ordered by from then to as OpenSearch orders them; a document counts once
 * per range it falls into.
 */
final class RangeAggregator extends Aggregator {
    private record Range(Optional<String> key, double from, double to, Optional<String> fromText, Optional<String> toText) {}

    private final Optional<ValueSource> source;
    private final List<Range> ranges;
    private final boolean keyed;
    private final boolean dates;
    private final DateFormat format;
    private final ZoneId zone;
    private final DocCounts docCounts = new DocCounts(16);

    private RangeAggregator(String name, Optional<ValueSource> source, List<Range> ranges, boolean keyed, boolean dates, DateFormat format,
            ZoneId zone, List<Aggregator> subs, Optional<JsonNode> meta) {
        super(name, subs, meta);
        this.source = source;
        this.ranges = List.copyOf(ranges);
        this.keyed = keyed;
        this.dates = dates;
        this.format = format;
        this.zone = zone;
    }

    static RangeAggregator create(String name, JsonNode p, List<Aggregator> subs, Context context, Optional<JsonNode> meta) {
        params(p, "range", Set.of("field", "ranges", "keyed", "format", "time_zone", "missing"));
        if (p.has("missing")) {
            throw SearchException.parsing("[range] missing is not supported by Tributary");
        }
        Optional<ValueSource> source = ValueSource.of(context.mapping(), p.path("field").asText(null), name);
        if (source.isPresent() && !source.get().numeric()) {
            throw SearchException.illegalArgument("Field [%s] of type [keyword] is not supported for aggregation [range]", source.get().field().path());
        }
        boolean dates = source.map(s -> s.field().type() == FieldType.DATE).orElse(false);
        DateFormat format = p.has("format") ? DateFormat.of(p.get("format").asText())
                : source.filter(s -> s.field().type() == FieldType.DATE).map(s -> s.field().dateFormat()).orElse(DateFormat.defaultFormat());
        ZoneId zone = p.has("time_zone") ? QueryDsl.zone(p.get("time_zone").asText()) : ZoneOffset.UTC;
        JsonNode list = p.get("ranges");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw SearchException.illegalArgument("No [ranges] specified for the [%s] aggregation", name);
        }
        List<Range> ranges = new ArrayList<>();
        for (JsonNode r : list) {
            params(r, "range", Set.of("from", "to", "key"));
            double from = bound(r.get("from"), dates, format, zone, context, Double.NEGATIVE_INFINITY);
            double to = bound(r.get("to"), dates, format, zone, context, Double.POSITIVE_INFINITY);
            ranges.add(new Range(Optional.ofNullable(r.get("key")).map(JsonNode::asText), from, to,
                    Optional.ofNullable(r.get("from")).filter(n -> !n.isNull()).map(JsonNode::asText),
                    Optional.ofNullable(r.get("to")).filter(n -> !n.isNull()).map(JsonNode::asText)));
        }
        ranges.sort(Comparator.comparingDouble(Range::from).thenComparingDouble(Range::to));
        return new RangeAggregator(name, source, ranges, p.path("keyed").asBoolean(false), dates, format, zone, subs, meta);
    }

    private static double bound(JsonNode v, boolean dates, DateFormat format, ZoneId zone, Context context, double absent) {
        if (v == null || v.isNull()) {
            return absent;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (dates) {
            return DateMath.parse(v.asText(), format, zone, context.nowMillis(), false);
        }
        try {
            return Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            throw SearchException.parsing("[range] bound [%s] is not a number", DateFormat.truncate(v.asText()));
        }
    }

    @Override
    String typeName() {
        return dates ? "date_range" : "range";
    }

    @Override
    LeafCollector leaf(LeafReaderContext context) throws IOException {
        if (source.isEmpty()) {
            return LeafCollector.NONE;
        }
        ValueSource src = source.get();
        SortedNumericDocValues values = src.numeric(context);
        LeafCollector[] subCollectors = leaves(subs, context);
        int n = ranges.size();
        boolean[] hit = new boolean[n];
        return (doc, owner) -> {
            if (!values.advanceExact(doc)) {
                return;
            }
            java.util.Arrays.fill(hit, false);
            int count = values.docValueCount();
            for (int i = 0; i < count; i++) {
                double v = src.decode(values.nextValue());
                for (int r = 0; r < n; r++) {
                    Range range = ranges.get(r);
                    if (!hit[r] && v >= range.from() && v < range.to()) {
                        hit[r] = true;
                        long ord = owner * n + r;
                        collectInBucket(docCounts, subCollectors, doc, ord);
                    }
                }
            }
        };
    }

    @Override
    ObjectNode result(long owner, boolean typedKeys) {
        ObjectNode out = object();
        Buckets buckets = new Buckets(out, keyed);
        int n = ranges.size();
        for (int r = 0; r < n; r++) {
            Range range = ranges.get(r);
            long ord = owner < 0 ? -1 : owner * n + r;
            ObjectNode bucket = object();
            String fromText = Double.isInfinite(range.from()) ? "*" : text(range.from());
            String toText = Double.isInfinite(range.to()) ? "*" : text(range.to());
            String key = range.key().orElse(fromText + "-" + toText);
            if (!keyed) {
                bucket.put("key", key);
            }
            if (!Double.isInfinite(range.from())) {
                bucket.put("from", range.from());
                if (dates) {
                    bucket.put("from_as_string", fromText);
                }
            }
            if (!Double.isInfinite(range.to())) {
                bucket.put("to", range.to());
                if (dates) {
                    bucket.put("to_as_string", toText);
                }
            }
            fillBucket(bucket, docCounts.get(ord), ord, typedKeys);
            buckets.add(key, bucket);
        }
        return withMeta(out);
    }

    private String text(double v) {
        return dates ? format.format((long) v, zone) : Double.toString(v);
    }
}
