package io.tributary.common;

/**
 * Who is to blame for an error, which decides how callers react: a user error is not retried,
 * insufficient resources may be retried after backing off, an internal error is a bug or a broken
 * disk, an external error comes from a system Tributary talks to.
 */
public enum ErrorCategory {
    USER_ERROR,
    INSUFFICIENT_RESOURCES,
    EXTERNAL,
    INTERNAL_ERROR,
}
