package io.tributary.search;

/** The {@code refresh} parameter of write requests: when the written documents become searchable. */
public enum Refresh {
    /** At the next scheduled refresh ({@code refresh_interval}). */
    NONE,
    /** Refresh the touched indexes before answering ({@code refresh=true}). */
    IMMEDIATE,
    /** Answer once a refresh has made the writes visible ({@code refresh=wait_for}). */
    WAIT_FOR;

    public static Refresh parse(String value) {
        if (value == null) {
            return NONE;
        }
        return switch (value) {
            case "", "true" -> IMMEDIATE;
            case "false" -> NONE;
            case "wait_for" -> WAIT_FOR;
            default -> throw SearchException.illegalArgument("Unknown value for refresh: [%s]; use true, false or wait_for", value);
        };
    }
}
