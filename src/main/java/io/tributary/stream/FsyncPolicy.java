package io.tributary.stream;

import java.util.Locale;

/** When the embedded log forces appended records to disk ({@code stream.fsync}). */
public enum FsyncPolicy {
    /** Before an append is acknowledged; group commit shares one fsync among concurrent appends. */
    ALWAYS,
    /** Every {@code stream.fsync-interval}; an append is acknowledged once written to the OS. */
    INTERVAL,
    /** Never explicitly; the OS writes back when it likes. For throwaway data only. */
    NEVER;

    public static FsyncPolicy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an fsync policy; use always, interval or never");
        }
    }
}
