package io.tributary.common;

import static java.util.Objects.requireNonNull;

/**
 * The product's error codes. Protocol layers (HTTP, the AWS JSON protocols, the CLI) map these to
 * their own statuses and error names, each in exactly one place.
 */
public enum ErrorCode {
    INVALID_ARGUMENT(ErrorCategory.USER_ERROR),
    MALFORMED_REQUEST(ErrorCategory.USER_ERROR),
    PAYLOAD_TOO_LARGE(ErrorCategory.USER_ERROR),
    NOT_FOUND(ErrorCategory.USER_ERROR),
    ALREADY_EXISTS(ErrorCategory.USER_ERROR),
    RESOURCE_IN_USE(ErrorCategory.USER_ERROR),
    LIMIT_EXCEEDED(ErrorCategory.USER_ERROR),
    EXPIRED(ErrorCategory.USER_ERROR),
    UNSUPPORTED(ErrorCategory.USER_ERROR),
    IMMUTABLE(ErrorCategory.USER_ERROR),
    UNAUTHENTICATED(ErrorCategory.USER_ERROR),
    SIGNATURE_MISMATCH(ErrorCategory.USER_ERROR),
    ACCESS_DENIED(ErrorCategory.USER_ERROR),
    CANCELLED(ErrorCategory.USER_ERROR),
    THROTTLED(ErrorCategory.INSUFFICIENT_RESOURCES),
    TIMEOUT(ErrorCategory.INSUFFICIENT_RESOURCES),
    /** The component is starting or stopping; retry shortly. */
    UNAVAILABLE(ErrorCategory.INSUFFICIENT_RESOURCES),
    EXTERNAL_FAILURE(ErrorCategory.EXTERNAL),
    STORAGE_FAILURE(ErrorCategory.INTERNAL_ERROR),
    INTERNAL(ErrorCategory.INTERNAL_ERROR);

    private final ErrorCategory category;

    ErrorCode(ErrorCategory category) {
        this.category = requireNonNull(category, "category is null");
    }

    public ErrorCategory category() {
        return category;
    }
}
