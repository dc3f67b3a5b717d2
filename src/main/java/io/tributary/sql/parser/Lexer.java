package io.tributary.sql.parser;

/**
 * Splits a statement into tokens, one at a time, in one of two string dialects: Hive DDL's, where
 * strings take single or double quotes and backslash escapes ({@code '\t'}, {@code '\001'}), and
 * Trino's, where a string is in single quotes with {@code ''} for a quote and a backslash is an
 * ordinary character ({@code LIKE 'a\_b' ESCAPE '\'}), and double quotes delimit identifiers. The
 * parser picks the dialect once it knows the statement, which is why tokens are made on demand.
 * Identifiers may be in backticks in both; {@code --} and block comments are skipped.
 *
 * <p>Not thread-safe; one per statement.
 */
final class Lexer {
    enum Dialect {
        HIVE, TRINO
    }

    private final String sql;
    private int pos;
    private int line = 1;
    private int lineStart;

    Lexer(String sql) {
        this.sql = sql;
    }

    /** Continues at a token already read (to read it again in another dialect). */
    void rewind(Token t) {
        pos = t.offset();
        line = t.line();
        lineStart = t.offset() - (t.column() - 1);
    }

    Token next(Dialect dialect) {
        skipSpaceAndComments();
        int startLine = line;
        int startColumn = pos - lineStart + 1;
        int start = pos;
        if (pos >= sql.length()) {
            return new Token(Token.Kind.END, "", startLine, startColumn, pos, pos);
        }
        char c = sql.charAt(pos);
        if (c == '\'' || (c == '"' && dialect == Dialect.HIVE)) {
            String text = string(c, startLine, startColumn, dialect == Dialect.HIVE);
            return new Token(Token.Kind.STRING, text, startLine, startColumn, start, pos);
        }
        if (c == '`' || c == '"') {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= sql.length()) {
                    throw SqlErrors.at(startLine, startColumn, c == '`' ? "unterminated backtick identifier" : "unterminated quoted identifier");
                }
                char ch = sql.charAt(pos++);
                if (ch == c) {
                    if (pos < sql.length() && sql.charAt(pos) == c) {
                        sb.append(c);
                        pos++;
                        continue;
                    }
                    break;
                }
                advanceLine(ch);
                sb.append(ch);
            }
            return new Token(Token.Kind.QUOTED_IDENTIFIER, sb.toString(), startLine, startColumn, start, pos);
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '_')) {
                pos++;
            }
            return new Token(Token.Kind.WORD, sql.substring(start, pos), startLine, startColumn, start, pos);
        }
        if (Character.isDigit(c)) {
            while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                pos++;
            }
            return new Token(Token.Kind.NUMBER, sql.substring(start, pos), startLine, startColumn, start, pos);
        }
        pos++;
        return new Token(Token.Kind.SYMBOL, String.valueOf(c), startLine, startColumn, start, pos);
    }

    private String string(char quote, int startLine, int startColumn, boolean escapes) {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= sql.length()) {
                throw SqlErrors.at(startLine, startColumn, "unterminated string");
            }
            char ch = sql.charAt(pos++);
            if (ch == quote) {
                if (pos < sql.length() && sql.charAt(pos) == quote) {
                    sb.append(quote);
                    pos++;
                    continue;
                }
                return sb.toString();
            }
            if (escapes && ch == '\\' && pos < sql.length()) {
                char e = sql.charAt(pos++);
                switch (e) {
                    case 't' -> sb.append('\t');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case '0', '1', '2', '3' -> {
                        // Hive's octal escapes: '\001' is Ctrl-A, its default field delimiter.
                        int end = pos;
                        while (end < sql.length() && end < pos + 2 && sql.charAt(end) >= '0' && sql.charAt(end) <= '7') {
                            end++;
                        }
                        sb.append((char) Integer.parseInt(e + sql.substring(pos, end), 8));
                        pos = end;
                    }
                    default -> sb.append(e);
                }
                continue;
            }
            advanceLine(ch);
            sb.append(ch);
        }
    }

    private void advanceLine(char ch) {
        if (ch == '\n') {
            line++;
            lineStart = pos;
        }
    }

    private void skipSpaceAndComments() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && sql.startsWith("--", pos)) {
                while (pos < sql.length() && sql.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && sql.startsWith("/*", pos)) {
                int end = sql.indexOf("*/", pos + 2);
                int stop = end < 0 ? sql.length() : end + 2;
                while (pos < stop) {
                    advanceLine(sql.charAt(pos++));
                }
            } else {
                return;
            }
        }
    }
}
