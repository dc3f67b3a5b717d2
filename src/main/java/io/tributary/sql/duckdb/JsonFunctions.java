package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.Functions.scalar;
import static io.tributary.sql.duckdb.TrinoToDuckDb.string;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.trino.sql.tree.StringLiteral;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trino's JSON functions (functions/json.html). Text that is not JSON gives NULL where Trino's
 * JsonExtract does ("Return null if we failed to parse something"), {@code json_extract_scalar} is
 * NULL for arrays and objects, and JSONPath keys in brackets ({@code $["a b"]}) are translated to
 * DuckDB's quoted keys.
 */
final class JsonFunctions {
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\]|\\[\\s*(\\d+)\\s*\\]|\\[\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\]");

    private JsonFunctions() {}

    static void register() {
        scalar("json_extract_scalar", 2, 2, c -> "trino.json_extract_scalar(" + c.arg(0) + ", " + path(c, 1) + ")");
        scalar("json_extract", 2, 2, c -> "trino.json_extract(" + c.arg(0) + ", " + path(c, 1) + ")");
        scalar("json_size", 2, 2, c -> "trino.json_size(" + c.arg(0) + ", " + path(c, 1) + ")");
        scalar("json_array_length", 1, 1, c -> "trino.json_array_length(" + c.arg(0) + ")");
        scalar("json_array_get", 2, 2, c -> "trino.json_array_get(" + c.joined() + ")");
        scalar("json_array_contains", 2, 2, c -> "trino.json_array_contains(" + c.joined() + ")");
        scalar("is_json_scalar", 1, 1, c -> "trino.is_json_scalar(" + c.arg(0) + ")");
        scalar("json_parse", 1, 1, c -> "json(" + c.arg(0) + ")");
        scalar("json_format", 1, 1, c -> "CAST(" + c.arg(0) + " AS VARCHAR)");
    }

    /**
     * A JSONPath literal in DuckDB's syntax: {@code $.a.b}, {@code $.a[0]}, {@code $["a b"]} (as {@code $."a b"}) and
     * {@code $[a]} (Trino reads a bare name in brackets as a key). A path that is not a literal is passed as it is.
     */
    private static String path(Functions.Call c, int i) {
        if (!(c.nodes().get(i) instanceof StringLiteral literal)) {
            return c.arg(i);
        }
        String path = literal.getValue().trim();
        if (!path.startsWith("$")) {
            throw TributaryException.invalidArgument("Invalid JSON path: '%s'", literal.getValue());
        }
        StringBuilder out = new StringBuilder("$");
        int at = 1;
        Matcher m = STEP.matcher(path);
        while (at < path.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new TributaryException(ErrorCode.UNSUPPORTED, "JSON path '" + literal.getValue() + "' uses '" + path.substring(at)
                        + "', which Tributary cannot translate; use $.key, $[\"key\"] and $[index]");
            }
            if (m.group(1) != null) {
                out.append('.').append(m.group(1));
            } else if (m.group(2) != null || m.group(4) != null) {
                String key = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(4);
                if (key.contains("\"")) {
                    throw new TributaryException(ErrorCode.UNSUPPORTED, "JSON path '" + literal.getValue()
                            + "': keys containing a double quote cannot be translated");
                }
                out.append(".\"").append(key).append('"');
            } else {
                out.append('[').append(m.group(3)).append(']');
            }
            at = m.end();
        }
        return string(out.toString());
    }
}
