package io.tributary.common;

import static java.util.Objects.requireNonNull;

/**
 * The one product exception. The message names the thing that went wrong and, where there is one,
 * the next step; the code decides how each protocol reports it.
 */
public class TributaryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public TributaryException(ErrorCode code, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
    }

    public TributaryException(ErrorCode code, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
    }

    public static TributaryException invalidArgument(String format, Object... args) {
        return new TributaryException(ErrorCode.INVALID_ARGUMENT, format.formatted(args));
    }

    public static TributaryException notFound(String format, Object... args) {
        return new TributaryException(ErrorCode.NOT_FOUND, format.formatted(args));
    }
}
