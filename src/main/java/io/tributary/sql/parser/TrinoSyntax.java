package io.tributary.sql.parser;

import static java.util.Objects.requireNonNull;

import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.NodeLocation;
import io.trino.sql.tree.Statement;
import io.tributary.common.Durations;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.time.Duration;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.TokenSource;

/**
 * Parses statement text with Trino's parser (queries, CTAS, INSERT, view bodies), within a time
 * limit: the parse runs inside a query's execution slot, so it answers to the query's limit as the
 * engine does. Parse errors become Trino's {@code line L:C: message}.
 *
 * <p>Stateless and thread-safe.
 */
public final class TrinoSyntax {
    private TrinoSyntax() {}

    /**
     * @param start where the text starts in the statement the user wrote, so errors point into it
     * @param limit how long parsing may take; past it the parse stops with {@code TIMEOUT}
     */
    public static Statement parse(String sql, NodeLocation start, Duration limit) {
        requireNonNull(sql, "sql is null");
        requireNonNull(start, "start is null");
        requireNonNull(limit, "limit is null");
        Nesting.check(sql);
        String text = backquotesToDoubleQuotes(StatementParser.stripTrailingSemicolon(sql));
        long deadline = System.nanoTime() + limit.toNanos();
        SqlParser parser = new SqlParser((lexer, p) -> p.setTokenStream(new TimedTokenStream(lexer, deadline, limit)));
        try {
            // Padded to where it stands in the statement, so errors point into the whole text.
            String padded = "\n".repeat(start.getLineNumber() - 1) + " ".repeat(start.getColumnNumber() - 1) + text;
            return parser.createStatement(padded);
        } catch (ParsingException e) {
            throw TributaryException.invalidArgument("line %d:%d: %s", e.getLineNumber(), e.getColumnNumber(), e.getErrorMessage());
        }
    }

    /**
     * Athena's DDL quotes identifiers in backticks and users carry the habit into queries; Trino's
     * parser refuses them, so outside strings and comments {@code `name`} becomes {@code "name"}
     * (same length, so error positions do not move).
     */
    public static String backquotesToDoubleQuotes(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = i + 1;
                while (end < sql.length() && !(sql.charAt(end) == c && !(end + 1 < sql.length() && sql.charAt(end + 1) == c))) {
                    end += sql.charAt(end) == c ? 2 : 1;
                }
                end = Math.min(end + 1, sql.length());
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? sql.length() : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (c == '`') {
                int end = sql.indexOf('`', i + 1);
                if (end < 0) {
                    out.append(sql.substring(i));
                    break;
                }
                out.append('"').append(sql, i + 1, end).append('"');
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * The parser's token stream, which stops the parse at the deadline: ANTLR's prediction reads
     * tokens ahead over and over, so every read is where a runaway parse can be caught.
     */
    private static final class TimedTokenStream extends CommonTokenStream {
        private final long deadline;
        private final Duration limit;
        private int reads;

        TimedTokenStream(TokenSource source, long deadline, Duration limit) {
            super(source);
            this.deadline = deadline;
            this.limit = limit;
        }

        @Override
        public int LA(int i) {
            if ((++reads & 0xFFF) == 0 && System.nanoTime() - deadline > 0) {
                throw new TributaryException(ErrorCode.TIMEOUT, "Query exhausted resources at this scale factor: parsing the statement took "
                        + "longer than its time limit of " + Durations.format(limit) + " (sql.query-timeout); simplify the statement");
            }
            return super.LA(i);
        }
    }
}
