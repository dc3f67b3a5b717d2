package io.tributary.stream;

import io.tributary.common.TributaryException;

/** Shard ids as Kinesis spells them: {@code shardId-000000000007}. */
public final class ShardIds {
    private static final String PREFIX = "shardId-";

    private ShardIds() {}

    public static String format(int shard) {
        if (shard < 0) {
            // Only error messages about a caller's bad index get here.
            return PREFIX + String.format("%012d", shard);
        }
        // Formatted per record on the read and append paths, so avoid String.format.
        String digits = Integer.toString(shard);
        return PREFIX + "0".repeat(12 - digits.length()) + digits;
    }

    /** Parses a shard id; also accepts a bare index ({@code 7}) for operators typing it by hand. */
    public static int parse(String shardId) {
        String digits = shardId.startsWith(PREFIX) ? shardId.substring(PREFIX.length()) : shardId;
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(ShardIds::isAsciiDigit)) {
            throw TributaryException.invalidArgument(
                    "'%s' is not a shard id; shard ids look like shardId-000000000000", truncate(shardId));
        }
        long index = Long.parseLong(digits);
        if (index > Integer.MAX_VALUE) {
            throw TributaryException.invalidArgument(
                    "'%s' is not a shard id: the index is larger than %d", truncate(shardId), Integer.MAX_VALUE);
        }
        return (int) index;
    }

    static boolean isAsciiDigit(int c) {
        // Character.isDigit also accepts non-ASCII digits, which Long.parseLong then reads as numbers.
        return c >= '0' && c <= '9';
    }

    /** The text, cut to 64 characters for an error message. */
    public static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
