package io.tributary.search;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

/**
 * A search error with the OpenSearch error {@code type} and HTTP status that OpenSearch would
 * answer, so clients that branch on {@code error.type} (such as {@code index_not_found_exception})
 * behave the same against Tributary. The product error code still classifies it for every other
 * protocol and for the CLI.
 */
public final class SearchException extends TributaryException {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final int status;

    public SearchException(ErrorCode code, String type, int status, String message) {
        super(code, message);
        this.type = requireNonNull(type, "type is null");
        this.status = status;
    }

    public SearchException(ErrorCode code, String type, int status, String message, Throwable cause) {
        super(code, message, cause);
        this.type = requireNonNull(type, "type is null");
        this.status = status;
    }

    /** OpenSearch's error type, such as {@code mapper_parsing_exception}. */
    public String type() {
        return type;
    }

    /** The HTTP status OpenSearch answers with for this error. */
    public int status() {
        return status;
    }

    public static SearchException indexNotFound(String index) {
        return new SearchException(ErrorCode.NOT_FOUND, "index_not_found_exception", 404, "no such index [" + index + "]");
    }

    public static SearchException alreadyExists(String index) {
        return new SearchException(ErrorCode.ALREADY_EXISTS, "resource_already_exists_exception", 400,
                "index [" + index + "] already exists");
    }

    /** A malformed request body or an unknown field in it. */
    public static SearchException parsing(String format, Object... args) {
        return new SearchException(ErrorCode.INVALID_ARGUMENT, "parsing_exception", 400, format.formatted(args));
    }

    public static SearchException illegalArgument(String format, Object... args) {
        return new SearchException(ErrorCode.INVALID_ARGUMENT, "illegal_argument_exception", 400, format.formatted(args));
    }

    /** A document that does not fit its index's mapping. */
    public static SearchException mapperParsing(String format, Object... args) {
        return new SearchException(ErrorCode.INVALID_ARGUMENT, "mapper_parsing_exception", 400, format.formatted(args));
    }

    public static SearchException versionConflict(String format, Object... args) {
        return new SearchException(ErrorCode.ALREADY_EXISTS, "version_conflict_engine_exception", 409, format.formatted(args));
    }

    /** A query that cannot run against the fields it names. */
    public static SearchException queryShard(String format, Object... args) {
        return new SearchException(ErrorCode.INVALID_ARGUMENT, "query_shard_exception", 400, format.formatted(args));
    }
}
