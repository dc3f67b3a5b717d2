package io.tributary.lake;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Where an object lives, written {@code s3://bucket/key} everywhere (tables, configs, APIs) whether
 * the bucket is on local disk or S3. A location with an empty key names the bucket itself; a key
 * ending in '/' names a prefix.
 *
 * <p>Keys are checked so that no key can escape its bucket when mapped to a file system: no empty,
 * {@code .} or {@code ..} segments (except a trailing '/'), no backslashes, no control characters.
 */
public record Location(String bucket, String key) {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    public static final int MAX_KEY_BYTES = 1024;

    public Location {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        validateBucket(bucket);
        validateKey(key);
    }

    /** Parses {@code s3://bucket/key} (also {@code s3a://} and {@code s3n://}, as Hive writes them). */
    public static Location parse(String uri) {
        requireNonNull(uri, "location is null");
        String rest;
        if (uri.startsWith("s3://")) {
            rest = uri.substring(5);
        } else if (uri.startsWith("s3a://") || uri.startsWith("s3n://")) {
            rest = uri.substring(6);
        } else {
            throw TributaryException.invalidArgument(
                    "location '%s' must start with s3:// (for example s3://tributary-lake/json-data/)", truncate(uri));
        }
        int slash = rest.indexOf('/');
        return slash < 0 ? new Location(rest, "") : new Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    public static String validateBucket(String bucket) {
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw TributaryException.invalidArgument(
                    "bucket name '%s' is invalid: use 3 to 63 characters from a-z, 0-9, '.' and '-', starting and ending with a letter or digit",
                    truncate(bucket));
        }
        return bucket;
    }

    static void validateKey(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw TributaryException.invalidArgument("object key is longer than %d bytes", MAX_KEY_BYTES);
        }
        if (key.isEmpty()) {
            return;
        }
        if (key.startsWith("/") || key.indexOf('\\') >= 0) {
            throw TributaryException.invalidArgument("object key '%s' must not start with '/' or contain '\\'", truncate(key));
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) < 0x20 || key.charAt(i) == 0x7f) {
                throw TributaryException.invalidArgument("object key '%s' contains a control character", truncate(key));
            }
        }
        String body = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        for (String segment : body.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw TributaryException.invalidArgument(
                        "object key '%s' has an empty, '.' or '..' path segment", truncate(key));
            }
        }
    }

    public Location child(String name) {
        if (key.isEmpty() || key.endsWith("/")) {
            return new Location(bucket, key + name);
        }
        return new Location(bucket, key + "/" + name);
    }

    /** This location as a prefix: the key with a trailing '/' (unchanged for the bucket itself). */
    public Location asPrefix() {
        return key.isEmpty() || key.endsWith("/") ? this : new Location(bucket, key + "/");
    }

    /** The last path segment of the key. */
    public String fileName() {
        String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        return k.substring(k.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }

    private static String truncate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
