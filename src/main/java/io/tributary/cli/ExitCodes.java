package io.tributary.cli;

import io.tributary.client.ClientException;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

/**
 * What the CLI's exit codes mean (also in {@code docs/cli.md}); scripts rely on them.
 * 3 and 4 are the launcher's: no JDK 21+ found, build failed.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** The operation failed on the server or inside the CLI. */
    public static final int FAILED = 1;
    /** Wrong flags or arguments. */
    public static final int USAGE = 2;
    /** The server could not be reached. */
    public static final int UNREACHABLE = 5;
    /** Authentication or authorization was refused. */
    public static final int DENIED = 6;
    /** The named resource does not exist. */
    public static final int NOT_FOUND = 7;
    /** The server rejected the input as invalid, or it conflicts with what exists. */
    public static final int INVALID = 8;
    /** Stopped by Ctrl-C. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}

    static int of(Throwable e) {
        if (e instanceof ClientException c) {
            if (c.status() == 0) {
                return UNREACHABLE;
            }
            if (c.status() == 401 || c.status() == 403 || c.code().contains("Signature") || c.code().contains("Unrecognized")
                    || c.code().contains("AccessDenied") || c.code().contains("MissingAuthentication")) {
                return DENIED;
            }
            if (c.status() == 404 || c.code().contains("NotFound")) {
                return NOT_FOUND;
            }
            return c.status() >= 500 ? FAILED : INVALID;
        }
        if (e instanceof TributaryException t) {
            return switch (t.code().category()) {
                case USER_ERROR -> t.code() == ErrorCode.NOT_FOUND ? NOT_FOUND
                        : t.code() == ErrorCode.ACCESS_DENIED || t.code() == ErrorCode.UNAUTHENTICATED ? DENIED : INVALID;
                case INSUFFICIENT_RESOURCES, EXTERNAL, INTERNAL_ERROR -> FAILED;
            };
        }
        return FAILED;
    }
}
