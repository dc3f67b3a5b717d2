package io.tributary.sql.parser;

import io.tributary.common.TributaryException;

/** Parse errors in Trino's form, {@code line 3:5: message}, which Athena users know. */
public final class SqlErrors {
    private SqlErrors() {}

    public static TributaryException at(int line, int column, String message) {
        return TributaryException.invalidArgument("line %d:%d: %s", line, column, message);
    }
}
