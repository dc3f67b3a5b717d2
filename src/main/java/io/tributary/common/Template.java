package io.tributary.common;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one template syntax of the product, used for object key prefixes, per-record key templates
 * and anything else that builds a name from a record: literal text with two kinds of tokens.
 *
 * <ul>
 *   <li>Firehose's expressions {@code !{namespace:value}}: {@code !{timestamp:yyyy}} (a Java
 *       {@link DateTimeFormatter} pattern, in UTC), {@code !{firehose:random-string}},
 *       {@code !{firehose:error-output-type}}, {@code !{partitionKeyFromQuery:name}} and
 *       {@code !{partitionKeyFromLambda:name}}.
 *   <li>Record fields {@code {path|filter|...}}: a dotted JSON path such as {@code {CSP}} or
 *       {@code {meta.log_id}}, with optional filters {@code lower}, {@code upper}, {@code trim}.
 * </ul>
 *
 * <p>Each use allows a subset of token kinds; {@link #parse} rejects anything else, naming the
 * offending token, so a bad template fails at configuration time rather than on the first record.
 *
 * <p>Immutable and thread-safe.
 */
public final class Template {
    /** The kinds of token a template may contain. */
    public enum Kind {
        TIMESTAMP,
        RANDOM_STRING,
        ERROR_OUTPUT_TYPE,
        PARTITION_KEY_FROM_QUERY,
        PARTITION_KEY_FROM_LAMBDA,
        FIELD,
    }

    /** One piece of a template. */
    public sealed interface Part permits Literal, Token {}

    public record Literal(String text) implements Part {
        public Literal {
            requireNonNull(text, "text is null");
        }
    }

    /**
     * @param argument the timestamp pattern, the partition key name, or the field path
     * @param filters for {@link Kind#FIELD} only
     */
    public record Token(Kind kind, String text, String argument, List<String> filters) implements Part {
        public Token {
            requireNonNull(kind, "kind is null");
            requireNonNull(text, "text is null");
            requireNonNull(argument, "argument is null");
            filters = List.copyOf(filters);
        }
    }

    /** What tokens evaluate to; a method returns empty when the value is missing. */
    public interface Values {
        default Instant timestamp() {
            throw new IllegalStateException("no timestamp available");
        }

        default String randomString() {
            throw new IllegalStateException("no random string available");
        }

        default String errorOutputType() {
            throw new IllegalStateException("no error output type available");
        }

        default Optional<String> partitionKeyFromQuery(String name) {
            return Optional.empty();
        }

        default Optional<String> partitionKeyFromLambda(String name) {
            return Optional.empty();
        }

        default Optional<String> field(String path) {
            return Optional.empty();
        }
    }

    /** A token had no value for a record (a missing field or partition key). */
    public static final class MissingValueException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingValueException(String message) {
            super(message);
        }
    }

    private static final Set<String> FILTERS = Set.of("lower", "upper", "trim");
    private static final ZonedDateTime SAMPLE = ZonedDateTime.of(2024, 9, 6, 14, 48, 46, 268_925_000, ZoneOffset.UTC);

    private final String text;
    private final List<Part> parts;
    private final List<DateTimeFormatter> formatters;

    private Template(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
        List<DateTimeFormatter> f = new ArrayList<>();
        for (Part part : parts) {
            f.add(part instanceof Token t && t.kind() == Kind.TIMESTAMP ? DateTimeFormatter.ofPattern(t.argument(), Locale.ROOT) : null);
        }
        this.formatters = java.util.Collections.unmodifiableList(f);
    }

    /**
     * Parses a template, allowing only the given token kinds.
     *
     * @param what names the template in error messages, for example {@code "Delivery stream 'x': prefix"}
     * @throws TributaryException {@code INVALID_ARGUMENT} naming the offending token
     */
    public static Template parse(String text, Set<Kind> allowed, String what) {
        requireNonNull(text, "text is null");
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        // Where record fields are not allowed (Firehose's prefixes), a plain brace is text: only "!{" opens a token.
        boolean fields = allowed.contains(Kind.FIELD);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            boolean expression = c == '!' && i + 1 < text.length() && text.charAt(i + 1) == '{';
            if (!expression && (c != '{' || !fields)) {
                if (c == '}' && fields) {
                    throw TributaryException.invalidArgument("%s '%s' has a '}' without a matching '{' at position %d", what, text, i);
                }
                literal.append(c);
                i++;
                continue;
            }
            int open = expression ? i + 1 : i;
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw TributaryException.invalidArgument("%s '%s' has an unterminated token '%s'", what, text, text.substring(i));
            }
            String token = text.substring(i, close + 1);
            String body = text.substring(open + 1, close);
            if (body.indexOf('{') >= 0) {
                throw TributaryException.invalidArgument("%s '%s': token '%s' is not closed before the next one opens", what, text, token);
            }
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            Token parsed = expression ? expression(token, body, what) : field(token, body, what);
            if (!allowed.contains(parsed.kind())) {
                throw TributaryException.invalidArgument("%s: token '%s' is not allowed here; allowed are %s", what, token,
                        describe(allowed));
            }
            parts.add(parsed);
            i = close + 1;
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new Template(text, parts);
    }

    private static Token expression(String token, String body, String what) {
        int colon = body.indexOf(':');
        if (colon < 0) {
            throw TributaryException.invalidArgument("%s: token '%s' must be written !{namespace:value}", what, token);
        }
        String namespace = body.substring(0, colon);
        String value = body.substring(colon + 1);
        switch (namespace) {
            case "timestamp" -> {
                if (value.isEmpty()) {
                    throw TributaryException.invalidArgument("%s: token '%s' needs a date-time pattern such as yyyy or MM", what, token);
                }
                try {
                    DateTimeFormatter.ofPattern(value, Locale.ROOT).format(SAMPLE);
                } catch (RuntimeException e) {
                    throw TributaryException.invalidArgument("%s: token '%s' is not a valid Java date-time pattern (%s)", what, token,
                            e.getMessage());
                }
                return new Token(Kind.TIMESTAMP, token, value, List.of());
            }
            case "firehose" -> {
                return switch (value) {
                    case "random-string" -> new Token(Kind.RANDOM_STRING, token, value, List.of());
                    case "error-output-type" -> new Token(Kind.ERROR_OUTPUT_TYPE, token, value, List.of());
                    default -> throw TributaryException.invalidArgument(
                            "%s: token '%s' is unknown; the firehose namespace has random-string and error-output-type", what, token);
                };
            }
            case "partitionKeyFromQuery", "partitionKeyFromLambda" -> {
                if (!value.matches("[A-Za-z0-9_-]{1,64}")) {
                    throw TributaryException.invalidArgument("%s: token '%s' needs a key name of letters, digits, '_' or '-'", what, token);
                }
                return new Token(namespace.equals("partitionKeyFromQuery") ? Kind.PARTITION_KEY_FROM_QUERY : Kind.PARTITION_KEY_FROM_LAMBDA,
                        token, value, List.of());
            }
            default -> throw TributaryException.invalidArgument(
                    "%s: token '%s' has unknown namespace '%s'; use timestamp, firehose, partitionKeyFromQuery or partitionKeyFromLambda",
                    what, token, namespace);
        }
    }

    private static Token field(String token, String body, String what) {
        String[] pieces = body.split("\\|", -1);
        String path = pieces[0].trim();
        if (!path.matches("[A-Za-z0-9_@$-]+(\\.[A-Za-z0-9_@$-]+)*")) {
            throw TributaryException.invalidArgument("%s: token '%s' must name a field such as {log_id} or {meta.csp}", what, token);
        }
        List<String> filters = new ArrayList<>();
        for (int k = 1; k < pieces.length; k++) {
            String filter = pieces[k].trim();
            if (!FILTERS.contains(filter)) {
                throw TributaryException.invalidArgument("%s: token '%s' has unknown filter '%s'; use lower, upper or trim", what, token, filter);
            }
            filters.add(filter);
        }
        return new Token(Kind.FIELD, token, path, filters);
    }

    private static String describe(Set<Kind> allowed) {
        List<String> names = new ArrayList<>();
        for (Kind kind : EnumSet.copyOf(allowed.isEmpty() ? EnumSet.noneOf(Kind.class) : allowed)) {
            names.add(switch (kind) {
                case TIMESTAMP -> "!{timestamp:pattern}";
                case RANDOM_STRING -> "!{firehose:random-string}";
                case ERROR_OUTPUT_TYPE -> "!{firehose:error-output-type}";
                case PARTITION_KEY_FROM_QUERY -> "!{partitionKeyFromQuery:name}";
                case PARTITION_KEY_FROM_LAMBDA -> "!{partitionKeyFromLambda:name}";
                case FIELD -> "{field|filter}";
            });
        }
        return names.isEmpty() ? "no tokens (plain text only)" : String.join(", ", names);
    }

    public String text() {
        return text;
    }

    public List<Part> parts() {
        return parts;
    }

    public boolean uses(Kind kind) {
        return parts.stream().anyMatch(p -> p instanceof Token t && t.kind() == kind);
    }

    /** The argument of every token of a kind (partition key names, field paths), in order. */
    public List<String> arguments(Kind kind) {
        return parts.stream().filter(p -> p instanceof Token t && t.kind() == kind).map(p -> ((Token) p).argument()).toList();
    }

    public boolean isLiteral() {
        return parts.stream().allMatch(p -> p instanceof Literal);
    }

    /**
     * Evaluates the template. Every timestamp token sees the same instant, as in Firehose.
     *
     * @throws MissingValueException when a field or partition key has no value
     */
    public String render(Values values) {
        StringBuilder out = new StringBuilder(text.length() + 32);
        ZonedDateTime time = null;
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            if (part instanceof Literal l) {
                out.append(l.text());
                continue;
            }
            Token t = (Token) part;
            switch (t.kind()) {
                case TIMESTAMP -> {
                    if (time == null) {
                        time = values.timestamp().atZone(ZoneOffset.UTC);
                    }
                    out.append(formatters.get(i).format(time));
                }
                case RANDOM_STRING -> out.append(values.randomString());
                case ERROR_OUTPUT_TYPE -> out.append(values.errorOutputType());
                case PARTITION_KEY_FROM_QUERY -> out.append(values.partitionKeyFromQuery(t.argument())
                        .orElseThrow(() -> new MissingValueException("partition key '" + t.argument() + "' has no value")));
                case PARTITION_KEY_FROM_LAMBDA -> out.append(values.partitionKeyFromLambda(t.argument())
                        .orElseThrow(() -> new MissingValueException("partition key '" + t.argument() + "' from the transform has no value")));
                case FIELD -> {
                    String value = values.field(t.argument())
                            .orElseThrow(() -> new MissingValueException("field '" + t.argument() + "' is missing or not a scalar"));
                    for (String filter : t.filters()) {
                        value = switch (filter) {
                            case "lower" -> value.toLowerCase(Locale.ROOT);
                            case "upper" -> value.toUpperCase(Locale.ROOT);
                            case "trim" -> value.trim();
                            default -> throw new IllegalStateException("filter checked at parse time: " + filter);
                        };
                    }
                    out.append(value);
                }
            }
        }
        return out.toString();
    }

    /**
     * Values for {@link Kind#FIELD} tokens from a JSON object: a dotted path to a scalar (text,
     * number or boolean); objects, arrays and null count as missing.
     */
    public static Optional<String> scalarAt(com.fasterxml.jackson.databind.JsonNode root, String dottedPath) {
        com.fasterxml.jackson.databind.JsonNode node = root;
        for (String name : dottedPath.split("\\.")) {
            if (node == null || !node.isObject()) {
                return Optional.empty();
            }
            node = node.get(name);
        }
        if (node == null || !node.isValueNode() || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    @Override
    public String toString() {
        return text;
    }
}
