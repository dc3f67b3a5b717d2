package io.tributary.client;

/**
 * A call to a Tributary server failed: the server refused it (status and error code from its
 * response) or it could not be reached (status 0).
 */
public final class ClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public ClientException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public ClientException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.code = "UNREACHABLE";
    }

    /** HTTP status, 0 when the server could not be reached. */
    public int status() {
        return status;
    }

    /** The server's error code ({@code NOT_FOUND}, or an AWS error name such as {@code ResourceNotFoundException}). */
    public String code() {
        return code;
    }
}
