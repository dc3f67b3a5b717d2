package io.tributary.delivery;

import io.tributary.common.TributaryException;
import java.util.Locale;

/**
 * Where a new delivery stream starts reading its source stream. Firehose reads a Kinesis source
 * from {@code LATEST}: only records put after the delivery stream was created, so deleting and
 * creating a delivery stream again does not deliver the stream's retained records a second time.
 * {@code TRIM_HORIZON} back-fills everything the stream retains. It matters only at creation;
 * afterwards the delivery stream resumes from its checkpoints.
 */
public enum StartingPosition {
    LATEST,
    TRIM_HORIZON;

    static StartingPosition parse(String text, String where) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw TributaryException.invalidArgument("%s: starting-position must be LATEST or TRIM_HORIZON, got '%s'", where, text);
        }
    }
}
