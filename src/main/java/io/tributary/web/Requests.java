package io.tributary.web;

import io.javalin.http.Context;
import io.tributary.auth.Principal;
import io.tributary.auth.RequestView;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Helpers for reading what the web layer attached to a request. */
public final class Requests {
    static final String PRINCIPAL = "tributary.principal";

    private Requests() {}

    /** The authenticated principal; every non-public route has one. */
    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new TributaryException(ErrorCode.INTERNAL, "route " + ctx.path() + " ran without authentication");
        }
        return principal;
    }

    public static Optional<Principal> optionalPrincipal(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL));
    }

    static RequestView view(Context ctx) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(ctx.req().getHeaders(name))));
        }
        String query = ctx.req().getQueryString();
        return new RequestView(ctx.method().name(), ctx.req().getRequestURI(), query == null ? "" : query, headers,
                ctx::bodyAsBytes, ctx.req().isSecure());
    }

    /** A query parameter parsed as an int within bounds, or the default; names the parameter when invalid. */
    public static int intParam(Context ctx, String name, int defaultValue, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw TributaryException.invalidArgument("query parameter '%s' must be between %d and %d, got %d", name, min, max, parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw TributaryException.invalidArgument("query parameter '%s' must be a whole number, got '%s'", name, value);
        }
    }
}
