package io.tributary.search.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.search.FieldType;
import io.tributary.search.SearchException;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;

/**
 * {@code date_histogram} ({@code fixed_interval}, {@code calendar_interval}, {@code time_zone},
 * {@code offset}, {@code min_doc_count}, {@code extended_bounds}, {@code format}) and numeric
 * {@code histogram}. With {@code min_doc_count} 0, the default, empty buckets fill the gaps
 * between the first and last bucket (and the extended bounds), as in OpenSearch; the total number
 * of buckets is bounded so a 1 ms interval over years is refused instead of exhausting memory.
 */
final class HistogramAggregator extends Aggregator {
    /** Maps a value to its bucket key and a key to the next one. */
    private interface Rounding {
        long round(long value);

        long next(long key);
    }

    private final boolean date;
    private final Optional<ValueSource> source;
    private final Rounding rounding;
    private final double interval;
    private final double offset;
    private final long minDocCount;
    private final Optional<long[]> extendedBounds;
    private final DateFormat format;
    private final ZoneId zone;
    private final boolean keyed;
    private final String orderBy;
    private final boolean ascending;
    private final BucketOrds ords = new BucketOrds();
    private final DocCounts docCounts = new DocCounts(16);

    private HistogramAggregator(String name, boolean date, Optional<ValueSource> source, Rounding rounding, double interval, double offset,
            long minDocCount, Optional<long[]> extendedBounds, DateFormat format, ZoneId zone, boolean keyed, String orderBy, boolean ascending,
            List<Aggregator> subs, Optional<JsonNode> meta) {
        super(name, subs, meta);
        this.date = date;
        this.source = source;
        this.rounding = rounding;
        this.interval = interval;
        this.offset = offset;
        this.minDocCount = minDocCount;
        this.extendedBounds = extendedBounds;
        this.format = format;
        this.zone = zone;
        this.keyed = keyed;
        this.orderBy = orderBy;
        this.ascending = ascending;
    }

    static HistogramAggregator create(String name, String type, JsonNode p, List<Aggregator> subs, Context context, Optional<JsonNode> meta) {
        boolean date = type.equals("date_histogram");
        params(p, type, date
                ? Set.of("field", "fixed_interval", "calendar_interval", "interval", "time_zone", "min_doc_count", "extended_bounds",
                        "offset", "format", "keyed", "order", "missing")
                : Set.of("field", "interval", "min_doc_count", "extended_bounds", "offset", "keyed", "order", "format", "missing"));
        if (p.has("missing")) {
            throw SearchException.parsing("[%s] missing is not supported by Tributary", type);
        }
        Optional<ValueSource> source = ValueSource.of(context.mapping(), p.path("field").asText(null), name);
        if (source.isPresent() && !source.get().numeric()) {
            throw SearchException.illegalArgument("Field [%s] of type [keyword] is not supported for aggregation [%s]",
                    source.get().field().path(), type);
        }
        long minDocCount = p.path("min_doc_count").asLong(date ? 0 : 0);
        if (minDocCount < 0) {
            throw SearchException.illegalArgument("[min_doc_count] must be greater than or equal to 0. Found [%d] in [%s]", minDocCount, name);
        }
        String orderBy = "_key";
        boolean ascending = true;
        if (p.has("order")) {
            JsonNode order = p.get("order");
            if (!order.isObject() || order.size() != 1) {
                throw SearchException.parsing("[%s] order must be an object like {\"_key\": \"asc\"}", type);
            }
            Map.Entry<String, JsonNode> o = order.fields().next();
            orderBy = o.getKey();
            if (!orderBy.equals("_key") && !orderBy.equals("_count")) {
                throw SearchException.parsing("[%s] can only be ordered by _key or _count in Tributary, got [%s]", type, orderBy);
            }
            ascending = o.getValue().asText().equalsIgnoreCase("asc");
        }
        boolean keyed = p.path("keyed").asBoolean(false);
        if (!date) {
            if (!p.has("interval") || !(p.get("interval").asDouble() > 0) || !Double.isFinite(p.get("interval").asDouble())) {
                throw SearchException.illegalArgument("[interval] must be >0 for histogram aggregation [%s]", name);
            }
            double interval = p.get("interval").asDouble();
            double offset = p.path("offset").asDouble(0);
            Optional<long[]> bounds = Optional.empty();
            if (p.has("extended_bounds")) {
                JsonNode b = p.get("extended_bounds");
                bounds = Optional.of(new long[] {Double.doubleToLongBits(b.path("min").asDouble(Double.NaN)),
                        Double.doubleToLongBits(b.path("max").asDouble(Double.NaN))});
            }
            Rounding rounding = new Rounding() {
                @Override
                public long round(long bits) {
                    double v = Double.longBitsToDouble(bits);
                    return Double.doubleToLongBits(Math.floor((v - offset) / interval) * interval + offset);
                }

                @Override
                public long next(long key) {
                    // Half an interval past the next key, then rounded: float error cannot land back on the same key (OpenSearch's nextKey).
                    double k = Double.longBitsToDouble(key);
                    return Double.doubleToLongBits(Math.floor((k + interval + interval / 2 - offset) / interval) * interval + offset);
                }
            };
            return new HistogramAggregator(name, false, source, rounding, interval, offset, minDocCount, bounds,
                    DateFormat.defaultFormat(), ZoneOffset.UTC, keyed, orderBy, ascending, subs, meta);
        }
        ZoneId zone = p.has("time_zone") ? QueryDsl.zone(p.get("time_zone").asText()) : ZoneOffset.UTC;
        long offset = p.has("offset") ? parseOffset(p.get("offset").asText()) : 0;
        Rounding rounding = dateRounding(name, p, zone, offset);
        DateFormat format = p.has("format") ? DateFormat.of(p.get("format").asText())
                : source.map(s -> s.field().type() == FieldType.DATE ? s.field().dateFormat() : DateFormat.defaultFormat())
                        .orElse(DateFormat.defaultFormat());
        Optional<long[]> bounds = Optional.empty();
        if (p.has("extended_bounds")) {
            JsonNode b = p.get("extended_bounds");
            DateFormat boundsFormat = format;
            bounds = Optional.of(new long[] {bound(b.get("min"), boundsFormat, zone, context), bound(b.get("max"), boundsFormat, zone, context)});
        }
        return new HistogramAggregator(name, true, source, rounding, 0, offset, minDocCount, bounds, format, zone, keyed, orderBy, ascending,
                subs, meta);
    }

    private static long bound(JsonNode value, DateFormat format, ZoneId zone, Context context) {
        if (value == null || value.isNull()) {
            return Long.MIN_VALUE;
        }
        if (value.isNumber()) {
            return value.asLong();
        }
        return DateMath.parse(value.asText(), format, zone, context.nowMillis(), false);
    }

    private static long parseOffset(String text) {
        String t = text.trim();
        boolean negative = t.startsWith("-");
        if (t.startsWith("+") || t.startsWith("-")) {
            t = t.substring(1);
        }
        long millis = IndexSettings.parseTime(t, "offset");
        return negative ? -millis : millis;
    }

    private static Rounding dateRounding(String name, JsonNode p, ZoneId zone, long offset) {
        String fixed = p.path("fixed_interval").asText(null);
        String calendar = p.path("calendar_interval").asText(null);
        String legacy = p.path("interval").asText(null);
        if ((fixed != null ? 1 : 0) + (calendar != null ? 1 : 0) + (legacy != null ? 1 : 0) != 1) {
            throw SearchException.illegalArgument("Required one of fields [fixed_interval, calendar_interval], but none were specified (aggregation [%s])", name);
        }
        if (legacy != null) {
            if (calendarUnit(legacy).isPresent()) {
                calendar = legacy;
            } else {
                fixed = legacy;
            }
        }
        if (calendar != null) {
            String c = calendar;
            ChronoUnit unit = calendarUnit(c).orElseThrow(() -> SearchException.illegalArgument(
                    "The supplied interval [%s] could not be parsed as a calendar interval (minute, hour, day, week, month, quarter, year or 1m, 1h, 1d, 1w, 1M, 1q, 1y)", c));
            boolean quarter = c.equals("quarter") || c.equals("1q");
            return new Rounding() {
                private long lastKey = Long.MIN_VALUE;
                private long lastNext = Long.MIN_VALUE;

                @Override
                public long round(long value) {
                    long v = value - offset;
                    if (v >= lastKey && v < lastNext) {
                        return lastKey + offset;
                    }
                    ZonedDateTime t = Instant.ofEpochMilli(v).atZone(zone);
                    ZonedDateTime start = DateMath.roundDown(t, unit);
                    if (quarter) {
                        start = start.withMonth((start.getMonthValue() - 1) / 3 * 3 + 1);
                    }
                    lastKey = start.toInstant().toEpochMilli();
                    lastNext = start.plus(quarter ? 3 : 1, unit).toInstant().toEpochMilli();
                    return lastKey + offset;
                }

                @Override
                public long next(long key) {
                    return Instant.ofEpochMilli(key - offset).atZone(zone).plus(quarter ? 3 : 1, unit).toInstant().toEpochMilli() + offset;
                }
            };
        }
        long millis;
        try {
            millis = IndexSettings.parseTime(fixed, "fixed_interval");
        } catch (SearchException e) {
            throw SearchException.illegalArgument("failed to parse setting [date_histogram.fixedInterval] with value [%s] as a time value: unit is missing or unrecognized",
                    DateFormat.truncate(fixed));
        }
        if (millis <= 0) {
            throw SearchException.illegalArgument("[fixed_interval] must be positive, got [%s]", fixed);
        }
        boolean utc = zone.equals(ZoneOffset.UTC);
        return new Rounding() {
            @Override
            public long round(long value) {
                if (utc) {
                    return Math.floorDiv(value - offset, millis) * millis + offset;
                }
                long local = value + zone.getRules().getOffset(Instant.ofEpochMilli(value)).getTotalSeconds() * 1000L;
                long roundedLocal = Math.floorDiv(local - offset, millis) * millis + offset;
                ZonedDateTime atZone = java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(roundedLocal, 1000), 0, ZoneOffset.UTC).atZone(zone);
                return atZone.toInstant().toEpochMilli();
            }

            @Override
            public long next(long key) {
                return round(key + millis);
            }
        };
    }

    private static Optional<ChronoUnit> calendarUnit(String interval) {
        return Optional.ofNullable(switch (interval) {
            case "minute", "1m" -> ChronoUnit.MINUTES;
            case "hour", "1h" -> ChronoUnit.HOURS;
            case "day", "1d" -> ChronoUnit.DAYS;
            case "week", "1w" -> ChronoUnit.WEEKS;
            case "month", "1M", "quarter", "1q" -> ChronoUnit.MONTHS;
            case "year", "1y" -> ChronoUnit.YEARS;
            default -> null;
        });
    }

    @Override
    String typeName() {
        return date ? "date_histogram" : "histogram";
    }

    @Override
    LeafCollector leaf(LeafReaderContext context) throws IOException {
        if (source.isEmpty()) {
            return LeafCollector.NONE;
        }
        ValueSource src = source.get();
        SortedNumericDocValues values = src.numeric(context);
        LeafCollector[] subCollectors = leaves(subs, context);
        return (doc, owner) -> {
            if (!values.advanceExact(doc)) {
                return;
            }
            int n = values.docValueCount();
            long previous = 0;
            for (int i = 0; i < n; i++) {
                long raw = values.nextValue();
                long key = date ? rounding.round(raw) : rounding.round(Double.doubleToLongBits(src.decode(raw)));
                if (i > 0 && key == previous) {
                    continue;
                }
                previous = key;
                long ord = ords.add(owner, key);
                collectInBucket(docCounts, subCollectors, doc, ord);
            }
        };
    }

    private double keyValue(long key) {
        return date ? key : Double.longBitsToDouble(key);
    }

    @Override
    ObjectNode result(long owner, boolean typedKeys) {
        List<long[]> buckets = new ArrayList<>();
        for (int ord = 0; ord < ords.size(); ord++) {
            if (ords.owner(ord) == owner) {
                buckets.add(new long[] {ords.key(ord), ord, docCounts.get(ord)});
            }
        }
        buckets.sort(Comparator.comparingDouble(b -> keyValue(b[0])));
        if (minDocCount == 0) {
            buckets = fillGaps(buckets);
        }
        if (orderBy.equals("_count")) {
            Comparator<long[]> byCount = Comparator.comparingLong(b -> b[2]);
            buckets.sort((ascending ? byCount : byCount.reversed()).thenComparingDouble(b -> keyValue(b[0])));
        } else if (!ascending) {
            buckets.sort(Comparator.comparingDouble((long[] b) -> keyValue(b[0])).reversed());
        }
        ObjectNode out = object();
        Buckets bucketNodes = new Buckets(out, keyed);
        for (long[] b : buckets) {
            if (b[2] < minDocCount) {
                continue;
            }
            ObjectNode bucket = object();
            String asString = null;
            if (date) {
                asString = format.format(b[0], zone);
                bucket.put("key_as_string", asString);
                bucket.put("key", b[0]);
            } else {
                bucket.put("key", Double.longBitsToDouble(b[0]));
            }
            bucket.put("doc_count", b[2]);
            addSubResults(bucket, b[1], typedKeys);
            bucketNodes.add(date ? asString : Double.toString(Double.longBitsToDouble(b[0])), bucket);
        }
        return withMeta(out);
    }

    private List<long[]> fillGaps(List<long[]> buckets) {
        long first;
        long last;
        if (buckets.isEmpty()) {
            if (extendedBounds.isEmpty()) {
                return buckets;
            }
            first = Long.MAX_VALUE;
            last = Long.MIN_VALUE;
        } else {
            first = buckets.get(0)[0];
            last = buckets.get(buckets.size() - 1)[0];
        }
        if (extendedBounds.isPresent()) {
            long[] b = extendedBounds.get();
            if (date) {
                if (b[0] != Long.MIN_VALUE) {
                    first = buckets.isEmpty() ? rounding.round(b[0]) : Math.min(first, rounding.round(b[0]));
                }
                if (b[1] != Long.MIN_VALUE) {
                    last = buckets.isEmpty() ? rounding.round(b[1]) : Math.max(last, rounding.round(b[1]));
                }
            } else {
                double min = Double.longBitsToDouble(b[0]);
                double max = Double.longBitsToDouble(b[1]);
                if (!Double.isNaN(min)) {
                    long k = rounding.round(Double.doubleToLongBits(min));
                    first = buckets.isEmpty() || keyValue(k) < keyValue(first) ? k : first;
                }
                if (!Double.isNaN(max)) {
                    long k = rounding.round(Double.doubleToLongBits(max));
                    last = buckets.isEmpty() || keyValue(k) > keyValue(last) ? k : last;
                }
            }
            if (first == Long.MAX_VALUE || last == Long.MIN_VALUE) {
                return buckets;
            }
        }
        if (!date && (keyValue(last) - keyValue(first)) / interval + 1 > MAX_BUCKETS) {
            throw BucketOrds.tooMany();
        }
        List<long[]> filled = new ArrayList<>();
        int i = 0;
        long key = first;
        int guard = 0;
        while (keyValue(key) <= keyValue(last)) {
            if (++guard > MAX_BUCKETS) {
                throw BucketOrds.tooMany();
            }
            while (i < buckets.size() && keyValue(buckets.get(i)[0]) < keyValue(key)) {
                filled.add(buckets.get(i++));
            }
            if (i < buckets.size() && buckets.get(i)[0] == key) {
                filled.add(buckets.get(i++));
            } else {
                filled.add(new long[] {key, -1, 0});
            }
            long next = rounding.next(key);
            if (keyValue(next) <= keyValue(key)) {
                // The keys are too large for the interval to move them: more buckets than any limit.
                throw BucketOrds.tooMany();
            }
            key = next;
        }
        while (i < buckets.size()) {
            filled.add(buckets.get(i++));
        }
        return filled;
    }
}
