package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import java.util.Locale;
import java.util.regex.Pattern;

/** A database-qualified table or view name, lower case as in Athena. */
public record TableName(String database, String table) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_][a-z0-9_-]{0,254}");

    public TableName {
        database = validate(requireNonNull(database, "database is null"), "database");
        table = validate(requireNonNull(table, "table is null"), "table");
    }

    public static String validate(String name, String what) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!NAME.matcher(lower).matches()) {
            throw TributaryException.invalidArgument(
                    "%s name '%s' is invalid: use letters, digits, '_' and '-' (up to 255 characters)", what, name);
        }
        return lower;
    }

    /** Parses {@code db.table} (or {@code table} in the given database). */
    public static TableName parse(String text, String defaultDatabase) {
        int dot = text.indexOf('.');
        return dot < 0 ? new TableName(defaultDatabase, text) : new TableName(text.substring(0, dot), text.substring(dot + 1));
    }

    @Override
    public String toString() {
        return database + "." + table;
    }
}
