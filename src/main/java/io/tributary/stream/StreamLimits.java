package io.tributary.stream;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.math.BigInteger;
import java.util.regex.Pattern;

/** Kinesis's limits on names, keys and record sizes, checked before anything is written. */
public final class StreamLimits {
    public static final int MAX_STREAM_NAME_LENGTH = 128;
    public static final int MAX_PARTITION_KEY_LENGTH = 256;
    /** Kinesis counts data and partition key together against 1 MiB. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;
    public static final int MAX_SHARDS_PER_STREAM = 1024;

    /** Kinesis's pattern for stream names, as its validation errors quote it. */
    public static final String STREAM_NAME_PATTERN = "[a-zA-Z0-9_.-]+";
    private static final Pattern STREAM_NAME = Pattern.compile(STREAM_NAME_PATTERN);
    private static final Pattern CONSUMER_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

    /**
     * Streams whose names start with this belong to the server: a direct-put delivery stream buffers
     * its records in one. They are left out of stream listings, and nobody creates one by name.
     */
    public static final String INTERNAL_PREFIX = "__firehose.";

    private StreamLimits() {}

    public static boolean isInternal(String name) {
        return name.startsWith(INTERNAL_PREFIX);
    }

    /** A name a user may create a stream under: valid, and not one the server keeps for itself. */
    public static String validateNewStreamName(String name) {
        validateStreamName(name);
        if (isInternal(name)) {
            throw TributaryException.invalidArgument("stream name '%s' is reserved: names starting with '%s' are the buffers of "
                    + "direct-put delivery streams; choose another name", name, INTERNAL_PREFIX);
        }
        return name;
    }

    /**
     * A stream name as a client of the Kinesis API, the REST API or the CLI names it. The server's
     * internal buffers answer NOT_FOUND, as if they did not exist: they belong to their delivery
     * streams, and deleting or writing them behind a delivery stream's back loses acknowledged records.
     */
    public static String validateUserStreamName(String name) {
        validateStreamName(name);
        if (isInternal(name)) {
            throw TributaryException.notFound("stream '%s' does not exist", ShardIds.truncate(name));
        }
        return name;
    }

    public static String validateStreamName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_STREAM_NAME_LENGTH
                || !STREAM_NAME.matcher(name).matches()) {
            throw TributaryException.invalidArgument(
                    "stream name '%s' is invalid: use 1 to %d characters from a-z, A-Z, 0-9, '_', '.' and '-'",
                    name == null ? "" : ShardIds.truncate(name), MAX_STREAM_NAME_LENGTH);
        }
        // Kinesis accepts these, but stream names become directory names in the embedded log.
        if (name.equals(".") || name.equals("..")) {
            throw TributaryException.invalidArgument(
                    "stream name '%s' is reserved: use a name with at least one character other than '.'", name);
        }
        return name;
    }

    public static String validateConsumerName(String name) {
        if (name == null || !CONSUMER_NAME.matcher(name).matches()) {
            throw TributaryException.invalidArgument(
                    "consumer name '%s' is invalid: use 1 to 128 characters from a-z, A-Z, 0-9, '_', '.' and '-'",
                    name == null ? "" : ShardIds.truncate(name));
        }
        return name;
    }

    public static int validateShardCount(int shardCount) {
        if (shardCount < 1 || shardCount > MAX_SHARDS_PER_STREAM) {
            throw TributaryException.invalidArgument(
                    "shard count %d is out of range: use 1 to %d shards", shardCount, MAX_SHARDS_PER_STREAM);
        }
        return shardCount;
    }

    /** Checks one record against Kinesis's limits; the message names the record's field. */
    public static void validate(AppendRecord record) {
        int keyLength = record.partitionKey().codePointCount(0, record.partitionKey().length());
        if (keyLength < 1 || keyLength > MAX_PARTITION_KEY_LENGTH) {
            throw TributaryException.invalidArgument(
                    "PartitionKey must be 1 to %d characters long, got %d", MAX_PARTITION_KEY_LENGTH, keyLength);
        }
        record.explicitHashKey().ifPresent(key -> {
            if (key.signum() < 0 || key.compareTo(HashKeyRange.MAX_HASH_KEY) > 0) {
                throw TributaryException.invalidArgument(
                        "ExplicitHashKey must be between 0 and 2^128 - 1, got %s", key);
            }
        });
        long size = (long) record.data().length + utf8Length(record.partitionKey());
        if (size > MAX_RECORD_BYTES) {
            throw new TributaryException(ErrorCode.PAYLOAD_TOO_LARGE, String.format(
                    "record of %d bytes (data plus partition key) exceeds the limit of %d bytes (1 MiB)",
                    size, MAX_RECORD_BYTES));
        }
    }

    /** The UTF-8 length of a string without encoding it (unpaired surrogates count as '?', as the encoder writes them). */
    public static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Parses an explicit hash key as Kinesis sends it: a decimal string. */
    public static BigInteger parseExplicitHashKey(String text) {
        if (text.isEmpty() || text.length() > 39 || !text.chars().allMatch(ShardIds::isAsciiDigit)) {
            throw TributaryException.invalidArgument(
                    "ExplicitHashKey '%s' is not a decimal number between 0 and 2^128 - 1", ShardIds.truncate(text));
        }
        BigInteger key = new BigInteger(text);
        if (key.compareTo(HashKeyRange.MAX_HASH_KEY) > 0) {
            throw TributaryException.invalidArgument("ExplicitHashKey %s is larger than 2^128 - 1", text);
        }
        return key;
    }

    public static TributaryException streamNotFound(String name) {
        return TributaryException.notFound(
                "stream '%s' does not exist; create it with `tributary streams create %s` or declare it in tributary.yaml",
                ShardIds.truncate(name), ShardIds.truncate(name));
    }

    public static TributaryException shardNotFound(String stream, int shard) {
        return TributaryException.notFound("stream '%s' has no shard %s", stream, ShardIds.format(shard));
    }
}
