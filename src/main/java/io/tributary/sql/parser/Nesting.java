package io.tributary.sql.parser;

/**
 * Bounds how deeply a statement nests parentheses and brackets, checked in one pass before any
 * parser runs. Trino's parser needs time quadratic in the depth and fails with a stack overflow
 * somewhere past a few hundred levels; a statement of 20,000 nested parentheses kept a query slot
 * busy for two minutes before failing. Real queries stay far below the limit.
 *
 * <p>Stateless.
 */
final class Nesting {
    static final int MAX_DEPTH = 200;

    private Nesting() {}

    /**
     * @throws io.tributary.common.TributaryException {@code INVALID_ARGUMENT} naming where the
     *     statement goes deeper than {@link #MAX_DEPTH}
     */
    static void check(String sql) {
        int depth = 0;
        int line = 1;
        int lineStart = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                // Strings and quoted identifiers: no parentheses count inside. Both dialects double the quote to escape it.
                int end = i + 1;
                while (end < sql.length() && !(sql.charAt(end) == c && !(end + 1 < sql.length() && sql.charAt(end + 1) == c))) {
                    if (sql.charAt(end) == '\n') {
                        line++;
                        lineStart = end + 1;
                    }
                    end += sql.charAt(end) == c ? 2 : 1;
                }
                i = end + 1;
                continue;
            }
            if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
                continue;
            }
            if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                int stop = end < 0 ? sql.length() : end + 2;
                for (int j = i; j < stop; j++) {
                    if (sql.charAt(j) == '\n') {
                        line++;
                        lineStart = j + 1;
                    }
                }
                i = stop;
                continue;
            }
            if (c == '\n') {
                line++;
                lineStart = i + 1;
            } else if (c == '(' || c == '[') {
                depth++;
                if (depth > MAX_DEPTH) {
                    throw SqlErrors.at(line, i - lineStart + 1, "the statement nests parentheses or brackets more than " + MAX_DEPTH
                            + " levels deep; Tributary refuses it before parsing (Trino's parser would run out of stack). "
                            + "Flatten the expression, for example with IN (...) or a CASE instead of nested terms");
                }
            } else if (c == ')' || c == ']') {
                depth = Math.max(0, depth - 1);
            }
            i++;
        }
    }
}
