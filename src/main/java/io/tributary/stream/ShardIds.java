package io.tributary.stream;

import io.tributary.common.TributaryException;

/** Shard ids as Kinesis spells them: {@code shardId-000000000007}. */
public final class ShardIds {
    private static final String PREFIX = "shardId-";

    private ShardIds() {}

    public static String format(int shard) {
        return PREFIX + String.format("%012d", shard);
    }

    /** Parses a shard id; also accepts a bare index ({@code 7}) for operators typing it by hand. */
    public static int parse(String shardId) {
        String digits = shardId.startsWith(PREFIX) ? shardId.substring(PREFIX.length()) : shardId;
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(Character::isDigit)) {
            throw TributaryException.invalidArgument(
                    "'%s' is not a shard id; shard ids look like shardId-000000000000", truncate(shardId));
        }
        return Integer.parseInt(digits);
    }

    static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
