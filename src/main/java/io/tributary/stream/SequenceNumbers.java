package io.tributary.stream;

import io.tributary.common.TributaryException;

/**
 * Kinesis-style sequence numbers: decimal strings that grow with the offset inside a shard. The
 * format is {@code 49} + the shard index in 10 digits + the offset in 20 digits, so numeric and
 * lexicographic order agree and a sequence number names its shard (clients such as the KCL
 * compare them as big integers within a shard).
 */
public final class SequenceNumbers {
    private static final int LENGTH = 32;

    private SequenceNumbers() {}

    public static String format(int shard, long offset) {
        if (shard < 0 || offset < 0) {
            throw new IllegalArgumentException("shard and offset must not be negative: " + shard + ", " + offset);
        }
        // Formatted for every record appended or read, so avoid String.format.
        StringBuilder text = new StringBuilder(LENGTH).append("49");
        padded(text, Integer.toString(shard), 10);
        padded(text, Long.toString(offset), 20);
        return text.toString();
    }

    private static void padded(StringBuilder text, String digits, int width) {
        text.repeat('0', width - digits.length()).append(digits);
    }

    /**
     * Returns the offset that a sequence number names in the given shard.
     *
     * @throws TributaryException {@code INVALID_ARGUMENT} if the text is not a sequence number of that shard
     */
    public static long parseOffset(String sequenceNumber, int expectedShard) {
        if (sequenceNumber.length() != LENGTH
                || !sequenceNumber.startsWith("49")
                || !sequenceNumber.chars().allMatch(ShardIds::isAsciiDigit)) {
            throw TributaryException.invalidArgument(
                    "'%s' is not a valid sequence number", ShardIds.truncate(sequenceNumber));
        }
        long shard = Long.parseLong(sequenceNumber.substring(2, 12));
        if (shard != expectedShard) {
            throw TributaryException.invalidArgument(
                    "sequence number %s belongs to shard %d, not %s",
                    sequenceNumber, shard, ShardIds.format(expectedShard));
        }
        try {
            return Long.parseLong(sequenceNumber.substring(12));
        } catch (NumberFormatException e) {
            throw TributaryException.invalidArgument("sequence number %s is out of range", sequenceNumber);
        }
    }
}
