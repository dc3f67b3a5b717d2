package io.tributary.aws;

import io.tributary.auth.AuthenticationException;
import io.tributary.common.TributaryException;

/**
 * AWS error names and HTTP statuses shared by the JSON-protocol services. A service overrides
 * names in {@link AwsJsonService#errorType}; statuses are decided here only.
 */
public final class AwsErrors {
    private AwsErrors() {}

    public static String defaultType(TributaryException e) {
        if (e instanceof AuthenticationException auth) {
            return switch (auth.reason()) {
                case MISSING -> "MissingAuthenticationTokenException";
                case MALFORMED -> "IncompleteSignatureException";
                case UNKNOWN_KEY -> "UnrecognizedClientException";
                case BAD_SIGNATURE, EXPIRED -> "InvalidSignatureException";
            };
        }
        return switch (e.code()) {
            case INVALID_ARGUMENT, PAYLOAD_TOO_LARGE -> "ValidationException";
            case MALFORMED_REQUEST -> "SerializationException";
            case NOT_FOUND -> "ResourceNotFoundException";
            case ALREADY_EXISTS, RESOURCE_IN_USE -> "ResourceInUseException";
            case LIMIT_EXCEEDED -> "LimitExceededException";
            case EXPIRED -> "ExpiredIteratorException";
            case UNSUPPORTED -> "UnknownOperationException";
            case IMMUTABLE, ACCESS_DENIED -> "AccessDeniedException";
            case UNAUTHENTICATED -> "UnrecognizedClientException";
            case SIGNATURE_MISMATCH -> "InvalidSignatureException";
            case CANCELLED -> "InvalidRequestException";
            case THROTTLED -> "ThrottlingException";
            case TIMEOUT, UNAVAILABLE, EXTERNAL_FAILURE -> "ServiceUnavailableException";
            case STORAGE_FAILURE, INTERNAL -> "InternalFailure";
        };
    }

    /** AWS's JSON services answer client errors with 400, except missing credentials (403). */
    public static int status(TributaryException e) {
        if (e instanceof AuthenticationException auth && auth.reason() == AuthenticationException.Reason.MISSING) {
            return 403;
        }
        return switch (e.code().category()) {
            case USER_ERROR, INSUFFICIENT_RESOURCES -> e.code() == io.tributary.common.ErrorCode.TIMEOUT || e.code() == io.tributary.common.ErrorCode.UNAVAILABLE ? 503 : 400;
            case EXTERNAL -> 503;
            case INTERNAL_ERROR -> 500;
        };
    }
}
