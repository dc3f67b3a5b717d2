package io.tributary.sql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits Hive DDL into tokens. Strings take single or double quotes and Hive's backslash escapes
 * ({@code '\t'}, {@code '\001'}); identifiers may be in backticks; {@code --} and block comments are
 * skipped.
 */
final class Lexer {
    private final String sql;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String sql) {
        this.sql = sql;
    }

    static List<Token> tokenize(String sql) {
        Lexer lexer = new Lexer(sql);
        List<Token> tokens = new ArrayList<>();
        Token t;
        do {
            t = lexer.next();
            tokens.add(t);
        } while (t.kind() != Token.Kind.END);
        return tokens;
    }

    private Token next() {
        skipSpaceAndComments();
        int startLine = line;
        int startColumn = pos - lineStart + 1;
        int start = pos;
        if (pos >= sql.length()) {
            return new Token(Token.Kind.END, "", startLine, startColumn, pos, pos);
        }
        char c = sql.charAt(pos);
        if (c == '\'' || c == '"') {
            String text = string(c, startLine, startColumn);
            return new Token(Token.Kind.STRING, text, startLine, startColumn, start, pos);
        }
        if (c == '`') {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= sql.length()) {
                    throw SqlErrors.at(startLine, startColumn, "unterminated backtick identifier");
                }
                char ch = sql.charAt(pos++);
                if (ch == '`') {
                    if (pos < sql.length() && sql.charAt(pos) == '`') {
                        sb.append('`');
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

    private String string(char quote, int startLine, int startColumn) {
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
            if (ch == '\\' && pos < sql.length()) {
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
