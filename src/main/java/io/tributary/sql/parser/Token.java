package io.tributary.sql.parser;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A token of Hive DDL: a word (bare or backtick-quoted identifier), a string in single or double
 * quotes (Hive accepts both), a number or a symbol, with where it starts (1-based line and column)
 * and its offset in the statement text.
 */
record Token(Kind kind, String text, int line, int column, int offset, int end) {
    enum Kind {
        WORD, QUOTED_IDENTIFIER, STRING, NUMBER, SYMBOL, END
    }

    Token {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
    }

    boolean isWord(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    String upper() {
        return text.toUpperCase(Locale.ROOT);
    }

    String describe() {
        return switch (kind) {
            case END -> "end of statement";
            case STRING -> "'" + text + "'";
            case QUOTED_IDENTIFIER -> "`" + text + "`";
            default -> "'" + text + "'";
        };
    }
}
