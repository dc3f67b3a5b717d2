package io.tributary.aws;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.auth.Principal;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.time.Instant;
import java.util.Optional;

/**
 * One call of an AWS JSON-protocol operation, with its body already decoded from JSON or CBOR.
 * Accessors read members by their AWS names and report a missing or mistyped member the way AWS
 * does, naming it.
 */
public record AwsRequest(String operation, ObjectNode body, AwsCodec codec, Principal principal) {
    public AwsRequest {
        requireNonNull(operation, "operation is null");
        requireNonNull(body, "body is null");
        requireNonNull(codec, "codec is null");
        requireNonNull(principal, "principal is null");
    }

    public String requiredString(String member) {
        return optionalString(member).orElseThrow(() -> missing(member));
    }

    public Optional<String> optionalString(String member) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw serialization(member, "a string");
        }
        return Optional.of(node.textValue());
    }

    public Optional<Integer> optionalInt(String member) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw serialization(member, "an integer");
        }
        return Optional.of(node.intValue());
    }

    public Optional<Boolean> optionalBoolean(String member) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw serialization(member, "a boolean");
        }
        return Optional.of(node.booleanValue());
    }

    /**
     * A list member that must be present: absent or null is the validation error AWS gives (naming the member in
     * lower camel case, as its validators do); anything but a JSON array is a serialization error.
     */
    public JsonNode requiredList(String member, String expected) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            throw missing(Character.toLowerCase(member.charAt(0)) + member.substring(1));
        }
        if (!node.isArray()) {
            throw serialization(member, expected);
        }
        return node;
    }

    /** A blob member: base64 text in JSON, a byte string in CBOR. */
    public byte[] requiredBlob(JsonNode parent, String member, String path) {
        JsonNode node = parent.get(member);
        if (node == null || node.isNull()) {
            throw missing(path);
        }
        return codec.blob(node, path);
    }

    /** A timestamp member: epoch seconds in JSON, epoch milliseconds in CBOR (as the AWS SDKs send them). */
    public Optional<Instant> optionalTimestamp(String member) {
        JsonNode node = body.get(member);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(codec.timestamp(node, member));
    }

    public static TributaryException missing(String member) {
        return new TributaryException(ErrorCode.INVALID_ARGUMENT,
                "1 validation error detected: Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
    }

    public static TributaryException serialization(String member, String expected) {
        return new TributaryException(ErrorCode.MALFORMED_REQUEST,
                "member '" + member + "' must be " + expected);
    }
}
