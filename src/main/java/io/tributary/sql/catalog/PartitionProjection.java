package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Athena's partition projection: with {@code 'projection.enabled'='true'} in TBLPROPERTIES a
 * table's partitions are not registered but computed from properties of each partition key, and
 * registered partitions are ignored. Types: {@code integer} ({@code range}, {@code interval},
 * {@code digits}), {@code date} ({@code range} of two dates in {@code format} or {@code NOW[+-N
 * UNIT]}, {@code interval}, {@code interval.unit}), {@code enum} ({@code values}) and
 * {@code injected} (the values a query's WHERE clause gives). A partition's files are at
 * {@code storage.location.template} with {@code ${key}} replaced, or under the table's location
 * at {@code key=value/...}.
 *
 * <p>Immutable and thread-safe.
 */
public final class PartitionProjection {
    /** Projected values per key beyond which a projection is refused: a range that large is a mistake, not a table. */
    public static final int MAX_VALUES = 1_000_000;

    private static final Pattern NOW = Pattern.compile("^\\s*NOW\\s*(([+-])\\s*([0-9]+)\\s*(YEAR|MONTH|WEEK|DAY|HOUR|MINUTE|SECOND)S?\\s*)?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    private static final DateTimeFormatter HIVE_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    /**
     * One projected value of a key.
     *
     * @param partition the partition's value, canonical for the key's type (what queries compare)
     * @param location the value as the location spells it (zero-padded, in the date format)
     */
    public record Value(String partition, String location) {
        public Value {
            requireNonNull(partition, "partition is null");
            requireNonNull(location, "location is null");
        }
    }

    private sealed interface Projection permits IntegerRange, DateRange, EnumValues, Injected {}

    private record IntegerRange(long from, long to, long interval, int digits) implements Projection {}

    private record DateRange(String pattern, DateTimeFormatter format, String from, String to, int interval, ChronoUnit unit)
            implements Projection {}

    private record EnumValues(List<String> values) implements Projection {}

    private record Injected() implements Projection {}

    private final TableDefinition table;
    private final Optional<String> template;
    private final List<Projection> keys;

    private PartitionProjection(TableDefinition table, Optional<String> template, List<Projection> keys) {
        this.table = table;
        this.template = template;
        this.keys = List.copyOf(keys);
    }

    /**
     * The table's projection, if {@code projection.enabled} is {@code true}.
     *
     * @throws TributaryException {@code INVALID_ARGUMENT} naming the property that is missing or wrong
     */
    public static Optional<PartitionProjection> of(TableDefinition table) {
        Map<String, String> props = new HashMap<>();
        table.properties().forEach((k, v) -> props.put(k.toLowerCase(Locale.ROOT), v));
        if (!props.getOrDefault("projection.enabled", "false").trim().equalsIgnoreCase("true")) {
            return Optional.empty();
        }
        if (!table.partitioned()) {
            throw invalid(table, "projection.enabled", "the table has no partition keys to project");
        }
        List<Projection> keys = new ArrayList<>();
        for (Column key : table.partitionKeys()) {
            String prefix = "projection." + key.name() + ".";
            String type = Optional.ofNullable(props.get(prefix + "type")).orElseThrow(() -> invalid(table, prefix + "type",
                    "every partition key needs a projection type: integer, date, enum or injected")).trim().toLowerCase(Locale.ROOT);
            keys.add(switch (type) {
                case "integer" -> integer(table, key, props, prefix);
                case "date" -> date(table, key, props, prefix);
                case "enum" -> {
                    String values = required(table, props, prefix + "values");
                    List<String> list = List.of(values.split(",", -1));
                    for (String v : list) {
                        if (PartitionValues.canonical(key.type(), v).isEmpty()) {
                            throw invalid(table, prefix + "values", "'" + v + "' is not a valid " + key.type() + " for key '" + key.name() + "'");
                        }
                    }
                    yield new EnumValues(list);
                }
                case "injected" -> new Injected();
                default -> throw invalid(table, prefix + "type", "'" + type + "' is not a projection type; use integer, date, enum or injected");
            });
        }
        Optional<String> template = Optional.ofNullable(props.get("storage.location.template")).map(String::trim);
        if (template.isPresent()) {
            Matcher m = PLACEHOLDER.matcher(template.get());
            Set<String> named = new HashSet<>();
            while (m.find()) {
                String name = m.group(1).toLowerCase(Locale.ROOT);
                if (table.partitionKeys().stream().noneMatch(k -> k.name().equals(name))) {
                    throw invalid(table, "storage.location.template", "${" + m.group(1) + "} is not a partition key");
                }
                named.add(name);
            }
            for (Column key : table.partitionKeys()) {
                if (!named.contains(key.name())) {
                    throw invalid(table, "storage.location.template", "it must name every partition key; ${" + key.name() + "} is missing");
                }
            }
            // A query's injected values must not choose the bucket it reads: the table's readers may read only where its creator pointed.
            String afterScheme = template.get().substring(template.get().indexOf("://") + 3);
            if (!afterScheme.contains("/") || afterScheme.substring(0, afterScheme.indexOf('/')).contains("${")) {
                throw invalid(table, "storage.location.template", "its bucket must be written out; ${...} may stand only in the key");
            }
            Location.parse(PLACEHOLDER.matcher(template.get()).replaceAll("x"));
        }
        return Optional.of(new PartitionProjection(table, template, keys));
    }

    private static IntegerRange integer(TableDefinition table, Column key, Map<String, String> props, String prefix) {
        if (!key.type().isIntegral() && !isString(key.type())) {
            throw invalid(table, prefix + "type", "an integer projection needs an integer or string key, not " + key.type());
        }
        String[] range = required(table, props, prefix + "range").split(",");
        long interval = number(table, props, prefix + "interval", 1);
        long digits = number(table, props, prefix + "digits", 0);
        try {
            if (range.length != 2) {
                throw new NumberFormatException();
            }
            long from = Long.parseLong(range[0].trim());
            long to = Long.parseLong(range[1].trim());
            if (interval < 1 || from > to) {
                throw new NumberFormatException();
            }
            if ((to - from) / interval >= MAX_VALUES) {
                throw invalid(table, prefix + "range", "it projects more than " + MAX_VALUES + " values");
            }
            return new IntegerRange(from, to, interval, (int) digits);
        } catch (NumberFormatException e) {
            throw invalid(table, prefix + "range", "it must be two integers 'min,max' with min <= max, and interval a positive integer");
        }
    }

    private static DateRange date(TableDefinition table, Column key, Map<String, String> props, String prefix) {
        switch (key.type().kind()) {
            case STRING, VARCHAR, CHAR, DATE, TIMESTAMP -> {
            }
            default -> throw invalid(table, prefix + "type", "a date projection needs a string, date or timestamp key, not " + key.type());
        }
        String pattern = required(table, props, prefix + "format");
        DateTimeFormatter format;
        try {
            format = DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH);
        } catch (IllegalArgumentException e) {
            throw invalid(table, prefix + "format", "'" + pattern + "' is not a date pattern: " + e.getMessage());
        }
        String[] range = required(table, props, prefix + "range").split(",");
        if (range.length != 2) {
            throw invalid(table, prefix + "range", "it must be two dates 'start,end' formatted as '" + pattern + "' or NOW[+-N UNIT]");
        }
        int interval = (int) number(table, props, prefix + "interval", 1);
        String withoutText = pattern.replaceAll("'.*?'", "");
        ChronoUnit unit;
        Optional<String> unitText = Optional.ofNullable(props.get(prefix + "interval.unit")).map(u -> u.trim().toUpperCase(Locale.ROOT));
        if (unitText.isPresent()) {
            String u = unitText.get().endsWith("S") ? unitText.get() : unitText.get() + "S";
            unit = switch (u) {
                case "YEARS" -> ChronoUnit.YEARS;
                case "MONTHS" -> ChronoUnit.MONTHS;
                case "WEEKS" -> ChronoUnit.WEEKS;
                case "DAYS" -> ChronoUnit.DAYS;
                case "HOURS" -> ChronoUnit.HOURS;
                case "MINUTES" -> ChronoUnit.MINUTES;
                case "SECONDS" -> ChronoUnit.SECONDS;
                default -> throw invalid(table, prefix + "interval.unit", "'" + unitText.get()
                        + "' is not one of YEARS, MONTHS, WEEKS, DAYS, HOURS, MINUTES, SECONDS");
            };
        } else if (withoutText.matches(".*[HhkKmsS].*")) {
            throw invalid(table, prefix + "interval.unit", "it is required when the format has a time of day (as in Athena)");
        } else {
            unit = withoutText.contains("d") ? ChronoUnit.DAYS : ChronoUnit.MONTHS;
        }
        if (interval < 1) {
            throw invalid(table, prefix + "interval", "it must be a positive integer");
        }
        DateRange projection = new DateRange(pattern, format, range[0].trim(), range[1].trim(), interval, unit);
        Instant probe = Instant.parse("2020-01-01T00:00:00Z");
        LocalDateTime from = bound(table, prefix, projection, projection.from(), probe);
        LocalDateTime to = bound(table, prefix, projection, projection.to(), probe);
        if (from.isAfter(to) && !NOW.matcher(projection.to()).matches() && !NOW.matcher(projection.from()).matches()) {
            throw invalid(table, prefix + "range", "its start is after its end");
        }
        return projection;
    }

    /** Whether key {@code index} takes its values from the query (an injected projection). */
    public boolean injected(int index) {
        return keys.get(index) instanceof Injected;
    }

    /**
     * The projected values of key {@code index}, at {@code now}.
     *
     * @param injected for an injected key, the values the query's WHERE clause compares it with
     */
    public List<Value> values(int index, Instant now, Set<String> injected) {
        Column key = table.partitionKeys().get(index);
        String prefix = "projection." + key.name() + ".";
        List<Value> out = new ArrayList<>();
        switch (keys.get(index)) {
            case IntegerRange r -> {
                for (long v = r.from(); v <= r.to(); v += r.interval()) {
                    String text = r.digits() > 0 ? String.format("%0" + r.digits() + "d", v) : Long.toString(v);
                    out.add(new Value(PartitionValues.canonical(key.type(), text).orElse(text), text));
                }
            }
            case DateRange r -> {
                LocalDateTime from = bound(table, prefix, r, r.from(), now);
                LocalDateTime to = bound(table, prefix, r, r.to(), now);
                for (LocalDateTime t = from; !t.isAfter(to); t = t.plus(r.interval(), r.unit())) {
                    if (out.size() >= MAX_VALUES) {
                        throw invalid(table, prefix + "range", "it projects more than " + MAX_VALUES + " values");
                    }
                    String text = t.format(r.format());
                    String partition = switch (key.type().kind()) {
                        case DATE -> t.toLocalDate().toString();
                        case TIMESTAMP -> t.format(HIVE_TIMESTAMP);
                        default -> text;
                    };
                    out.add(new Value(partition, text));
                }
            }
            case EnumValues e -> e.values().forEach(v -> out.add(new Value(PartitionValues.canonical(key.type(), v).orElse(v), v)));
            case Injected i -> injected.forEach(v -> PartitionValues.canonical(key.type(), v).ifPresent(c -> out.add(new Value(c, v))));
        }
        return out;
    }

    /** Where a partition's files are, from its values (one per key, in key order). */
    public Location location(List<Value> values) {
        if (template.isPresent()) {
            Matcher m = PLACEHOLDER.matcher(template.get());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                int i = indexOf(m.group(1).toLowerCase(Locale.ROOT));
                m.appendReplacement(sb, Matcher.quoteReplacement(values.get(i).location()));
            }
            m.appendTail(sb);
            return Location.parse(sb.toString()).asPrefix();
        }
        Location location = table.location().asPrefix();
        for (int i = 0; i < values.size(); i++) {
            location = location.child(table.partitionKeys().get(i).name() + "=" + PartitionValues.escapePathValue(values.get(i).location()) + "/");
        }
        return location;
    }

    /** The longest prefix every projected location shares, to list once instead of per partition. */
    public Location commonPrefix() {
        if (template.isEmpty()) {
            return table.location().asPrefix();
        }
        String t = template.get();
        int first = t.indexOf("${");
        String constant = t.substring(0, first);
        return Location.parse(constant.substring(0, constant.lastIndexOf('/') + 1));
    }

    /**
     * Whether INSERT writes partitions where the projection reads them: without a location template
     * (or with the default one), partitions go to {@code key=value/} under the table's location.
     */
    public boolean writable() {
        if (template.isEmpty()) {
            return true;
        }
        StringBuilder standard = new StringBuilder(table.location().asPrefix().toString());
        for (Column k : table.partitionKeys()) {
            standard.append(k.name()).append("=${").append(k.name()).append("}/");
        }
        String t = template.get().endsWith("/") ? template.get() : template.get() + "/";
        return t.equals(standard.toString()) && keys.stream().noneMatch(k -> k instanceof DateRange);
    }

    private int indexOf(String key) {
        for (int i = 0; i < table.partitionKeys().size(); i++) {
            if (table.partitionKeys().get(i).name().equals(key)) {
                return i;
            }
        }
        throw new IllegalStateException("checked when the projection was read");
    }

    /** A range bound as a time, truncated to the format's precision as Athena does (NOW with yyyy-MM-dd is today). */
    private static LocalDateTime bound(TableDefinition table, String prefix, DateRange r, String text, Instant now) {
        Matcher m = NOW.matcher(text);
        LocalDateTime value;
        if (m.matches()) {
            value = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
            if (m.group(1) != null) {
                long amount = Long.parseLong(m.group(3)) * (m.group(2).equals("-") ? -1 : 1);
                value = value.plus(amount, ChronoUnit.valueOf(m.group(4).toUpperCase(Locale.ROOT) + "S"));
            }
            text = value.format(r.format());
        }
        try {
            TemporalAccessor parsed = r.format().parse(text);
            LocalDate date = parsed.query(TemporalQueries.localDate());
            if (date != null && parsed.query(TemporalQueries.localTime()) == null) {
                return date.atStartOfDay();
            }
            if (date == null) {
                // Formats without a day (yyyy-MM, yyyy) name the first day of their period.
                int year = parsed.get(ChronoField.YEAR);
                int month = parsed.isSupported(ChronoField.MONTH_OF_YEAR)
                        ? parsed.get(ChronoField.MONTH_OF_YEAR) : 1;
                return LocalDate.of(year, month, 1).atStartOfDay();
            }
            return LocalDateTime.from(parsed);
        } catch (DateTimeException e) {
            throw invalid(table, prefix + "range", "'" + text + "' is not a date formatted as '" + r.pattern() + "' or NOW[+-N UNIT]");
        }
    }

    private static boolean isString(DataType type) {
        return switch (type.kind()) {
            case STRING, VARCHAR, CHAR -> true;
            default -> false;
        };
    }

    private static String required(TableDefinition table, Map<String, String> props, String name) {
        String value = props.get(name);
        if (value == null || value.isBlank()) {
            throw invalid(table, name, "the property is required");
        }
        return value;
    }

    private static long number(TableDefinition table, Map<String, String> props, String name, long otherwise) {
        String value = props.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(table, name, "'" + value + "' is not an integer");
        }
    }

    private static TributaryException invalid(TableDefinition table, String property, String why) {
        return TributaryException.invalidArgument("table %s: partition projection property '%s' is invalid: %s (see docs/sql.md, partition "
                + "projection)", table.name(), property, why);
    }
}
