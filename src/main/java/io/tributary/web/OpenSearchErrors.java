package io.tributary.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.search.SearchException;

/** Errors in OpenSearch's shape and with its types and statuses, for the search listener. */
final class OpenSearchErrors {
    private OpenSearchErrors() {}

    static String type(TributaryException e) {
        if (e instanceof SearchException s) {
            return s.type();
        }
        return switch (e.code()) {
            case INVALID_ARGUMENT, LIMIT_EXCEEDED, EXPIRED, UNSUPPORTED, CANCELLED -> "illegal_argument_exception";
            case MALFORMED_REQUEST -> "parse_exception";
            case UNAUTHENTICATED, SIGNATURE_MISMATCH, ACCESS_DENIED -> "security_exception";
            case NOT_FOUND -> "resource_not_found_exception";
            case ALREADY_EXISTS, RESOURCE_IN_USE, IMMUTABLE -> "resource_already_exists_exception";
            case PAYLOAD_TOO_LARGE -> "content_too_long_exception";
            case THROTTLED -> "rejected_execution_exception";
            case TIMEOUT, UNAVAILABLE -> "cluster_block_exception";
            case EXTERNAL_FAILURE, STORAGE_FAILURE, INTERNAL -> "exception";
        };
    }

    static int status(TributaryException e) {
        if (e instanceof SearchException s) {
            return s.status();
        }
        if (e.code() == ErrorCode.ALREADY_EXISTS) {
            return 400;
        }
        return ErrorResponses.status(e.code());
    }

    /** The {@code error} object of a response or a bulk item. */
    static ObjectNode error(TributaryException e) {
        ObjectNode error = Json.mapper().createObjectNode();
        ObjectNode cause = error.putArray("root_cause").addObject();
        cause.put("type", type(e)).put("reason", e.getMessage());
        error.put("type", type(e)).put("reason", e.getMessage());
        return error;
    }

    static void write(Context ctx, TributaryException e) {
        write(ctx, e, true);
    }

    /**
     * @param challenge whether a 401 carries a Basic challenge: yes for OpenSearch clients, no for
     *     the web UI's pass-through, where it would make the browser pop up its own login dialog
     */
    static void write(Context ctx, TributaryException e, boolean challenge) {
        int status = status(e);
        ObjectNode body = Json.mapper().createObjectNode();
        body.set("error", error(e));
        body.put("status", status);
        if (status == 401 && challenge) {
            ctx.header("WWW-Authenticate", "Basic realm=\"Tributary\" charset=\"UTF-8\"");
        }
        if (status == 429) {
            ctx.header("Retry-After", "1");
        }
        ctx.status(status).contentType("application/json; charset=UTF-8").result(body.toString());
    }
}
