package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.tributary.aws.AwsCodec;
import io.tributary.aws.AwsErrors;
import io.tributary.aws.AwsJsonService;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become HTTP responses: AWS JSON-protocol requests get AWS's error
 * shape and names, every other request {@code {"error": {"code", "message"}}} with a status
 * chosen from the error code.
 */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final Map<String, AwsJsonService> awsServices;
    private final ErrorFormat format;

    ErrorResponses(Map<String, AwsJsonService> awsServices) {
        this(awsServices, ErrorFormat.TRIBUTARY);
    }

    ErrorResponses(Map<String, AwsJsonService> awsServices, ErrorFormat format) {
        this.awsServices = Map.copyOf(requireNonNull(awsServices, "awsServices is null"));
        this.format = requireNonNull(format, "format is null");
    }

    static int status(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, MALFORMED_REQUEST, LIMIT_EXCEEDED, EXPIRED, UNSUPPORTED, CANCELLED -> 400;
            case UNAUTHENTICATED, SIGNATURE_MISMATCH -> 401;
            case ACCESS_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, RESOURCE_IN_USE, IMMUTABLE -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case THROTTLED -> 429;
            case STORAGE_FAILURE, INTERNAL -> 500;
            case EXTERNAL_FAILURE -> 502;
            case TIMEOUT, UNAVAILABLE -> 503;
        };
    }

    void handle(Exception exception, Context ctx) {
        TributaryException e = translate(exception);
        if (e.code().category() == io.tributary.common.ErrorCategory.INTERNAL_ERROR) {
            LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), exception);
        } else {
            LOG.debug("{} {} refused: {}", ctx.method(), ctx.path(), e.getMessage());
        }
        if (format == ErrorFormat.OPENSEARCH) {
            OpenSearchErrors.write(ctx, e);
            return;
        }
        if (ctx.path().startsWith(SearchRoutes.PASS_THROUGH + "/")) {
            OpenSearchErrors.write(ctx, e, false);
            return;
        }
        Optional<String> target = Optional.ofNullable(ctx.header("X-Amz-Target"));
        // An AWS client that left out X-Amz-Target still reads only AWS's error shape.
        boolean awsBody = Optional.ofNullable(ctx.contentType()).map(t -> t.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-amz-"))
                .orElse(false);
        if (ctx.path().equals("/") && (target.isPresent() || (awsBody && ctx.method() == io.javalin.http.HandlerType.POST))) {
            writeAws(ctx, target.orElse(""), e);
            return;
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("error").put("code", e.code().name()).put("message", e.getMessage());
        ctx.status(status(e.code()));
        if (e.code() == ErrorCode.THROTTLED && ctx.res().getHeader("Retry-After") == null) {
            ctx.header("Retry-After", "1");
        }
        ctx.contentType("application/json").result(body.toString());
    }

    private void writeAws(Context ctx, String target, TributaryException e) {
        AwsCodec codec = AwsCodec.forContentType(Optional.ofNullable(ctx.contentType()));
        int dot = target.indexOf('.');
        AwsJsonService service = dot > 0 ? awsServices.get(target.substring(0, dot)) : null;
        String type = service != null ? service.errorType(e) : AwsErrors.defaultType(e);
        ObjectNode body = codec.mapper().createObjectNode();
        body.put("__type", type);
        body.put("message", e.getMessage());
        ctx.status(AwsErrors.status(e));
        ctx.header("x-amzn-ErrorType", type);
        ctx.header("x-amzn-RequestId", UUID.randomUUID().toString());
        ctx.contentType(codec.contentType()).result(codec.write(body));
    }

    static TributaryException translate(Exception exception) {
        if (exception instanceof TributaryException t) {
            return t;
        }
        if (exception instanceof HttpResponseException h) {
            ErrorCode code = switch (h.getStatus()) {
                case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
                case 404 -> ErrorCode.NOT_FOUND;
                case 401 -> ErrorCode.UNAUTHENTICATED;
                case 403 -> ErrorCode.ACCESS_DENIED;
                default -> h.getStatus() >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_ARGUMENT;
            };
            String message = h.getStatus() == 413
                    ? "the request body is larger than this server accepts (server.max-request-size)"
                    : h.getMessage();
            return new TributaryException(code, message, h);
        }
        if (exception instanceof IllegalArgumentException iae) {
            return new TributaryException(ErrorCode.INVALID_ARGUMENT, String.valueOf(iae.getMessage()), iae);
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        return new TributaryException(ErrorCode.INTERNAL,
                "internal error " + id + " (" + exception.getClass().getSimpleName() + "); details are in the server log", exception);
    }
}
