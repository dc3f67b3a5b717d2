package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

/**
 * A request could not be authenticated. The reason lets each protocol answer as its clients
 * expect (the AWS protocols have a distinct error name for each).
 */
public final class AuthenticationException extends TributaryException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public AuthenticationException(Reason reason, String message) {
        super(reason == Reason.BAD_SIGNATURE || reason == Reason.EXPIRED ? ErrorCode.SIGNATURE_MISMATCH : ErrorCode.UNAUTHENTICATED,
                message);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Reason reason() {
        return reason;
    }

    public enum Reason {
        /** No credentials at all. */
        MISSING,
        /** Credentials are present but their form is wrong (a malformed Authorization header). */
        MALFORMED,
        /** The access key id or user is not known, or is revoked. */
        UNKNOWN_KEY,
        /** The signature or password does not match. */
        BAD_SIGNATURE,
        /** The signature's date is too far from the server's clock, or a presigned URL expired. */
        EXPIRED,
    }
}
