package io.tributary.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The two wire encodings of AWS's JSON protocols: JSON 1.1 (base64 blobs, epoch-second
 * timestamps) and CBOR 1.1 (byte-string blobs, epoch-millisecond timestamps), which the AWS SDKs
 * for Java use for Kinesis by default.
 */
public enum AwsCodec {
    JSON("application/x-amz-json-1.1"),
    CBOR("application/x-amz-cbor-1.1");

    private static final long MIN_EPOCH_SECOND = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_EPOCH_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private final String contentType;

    AwsCodec(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    public ObjectMapper mapper() {
        return this == CBOR ? Json.cbor() : Json.mapper();
    }

    /** Chooses the codec from a Content-Type; JSON when it is absent or any other JSON type. */
    public static AwsCodec forContentType(Optional<String> contentType) {
        return contentType.map(t -> t.toLowerCase(Locale.ROOT).startsWith(CBOR.contentType) ? CBOR : JSON).orElse(JSON);
    }

    public ObjectNode parse(byte[] body) {
        if (body.length == 0) {
            return Json.mapper().createObjectNode();
        }
        JsonNode node;
        try {
            node = mapper().readTree(body);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.MALFORMED_REQUEST,
                    "the request body is not valid " + name() + ": " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "the request body must be a " + name() + " object");
        }
        return (ObjectNode) node;
    }

    public byte[] write(JsonNode response) {
        try {
            return mapper().writeValueAsBytes(response);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.INTERNAL, "encoding a response failed", e);
        }
    }

    byte[] blob(JsonNode node, String path) {
        if (node.isBinary()) {
            try {
                return node.binaryValue();
            } catch (IOException e) {
                throw AwsRequest.serialization(path, "a blob");
            }
        }
        if (node.isTextual()) {
            try {
                return Base64.getDecoder().decode(node.textValue());
            } catch (IllegalArgumentException e) {
                throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "member '" + path + "' is not valid base64");
            }
        }
        throw AwsRequest.serialization(path, "a blob (base64 text in JSON)");
    }

    /**
     * A timestamp member: epoch seconds in JSON, epoch milliseconds in CBOR, or ISO-8601 text.
     *
     * @throws TributaryException {@code MALFORMED_REQUEST} for anything else, including a number
     *     outside the years 1 to 9999 (which would overflow the arithmetic)
     */
    public Instant timestamp(JsonNode node, String member) {
        if (node.isNumber()) {
            double seconds = this == CBOR ? node.doubleValue() / 1000 : node.doubleValue();
            if (!Double.isFinite(seconds) || seconds < MIN_EPOCH_SECOND || seconds > MAX_EPOCH_SECOND) {
                throw new TributaryException(ErrorCode.MALFORMED_REQUEST, "member '" + member + "' must be a timestamp between the "
                        + "years 1 and 9999 (" + (this == CBOR ? "epoch milliseconds" : "epoch seconds") + "), got " + node.asText());
            }
            if (this == CBOR && node.canConvertToLong()) {
                return Instant.ofEpochMilli(node.longValue());
            }
            long whole = (long) Math.floor(seconds);
            return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.textValue());
            } catch (RuntimeException e) {
                throw AwsRequest.serialization(member, "a timestamp (epoch seconds or ISO-8601)");
            }
        }
        throw AwsRequest.serialization(member, "a timestamp");
    }

    /** Writes an instant in the encoding's timestamp format. */
    public void putTimestamp(ObjectNode target, String member, Instant instant) {
        if (this == CBOR) {
            target.put(member, instant.toEpochMilli());
        } else {
            target.put(member, instant.toEpochMilli() / 1000.0);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
