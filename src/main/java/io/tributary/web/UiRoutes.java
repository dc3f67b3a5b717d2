package io.tributary.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web UI: static files from the classpath at {@code /ui/…}, WebJars (ECharts, CodeMirror) at
 * {@code /webjars/…}, and {@code /} redirecting to {@code /ui/}. These routes are public and serve
 * only files packaged in the jar; every page talks to the same authenticated {@code /api/} routes
 * as the CLI.
 *
 * <p>Files are served by hand rather than through Javalin's static-file handler so they can be
 * registered as {@link Access#PUBLIC} routes like any other, with one strict path check.
 *
 * <p>Thread-safe: the only state is a cache of immutable file contents.
 */
public final class UiRoutes implements Routes {
    static final String UI_ROOT = "io/tributary/web/ui/";
    static final String WEBJARS_ROOT = "META-INF/resources/webjars/";
    /** Segments of letters, digits, '.', '-', '_' only; no empty, '.' or '..' segment. */
    private static final Pattern SAFE_PATH = Pattern.compile("(?:[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]*/)*[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]*");
    private static final int MAX_PATH = 300;
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"));
    /**
     * Everything from this origin only: no CDN, no fonts, no beacons. Inline styles are allowed
     * because ECharts and CodeMirror set element styles.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private record Asset(byte[] bytes, String etag) {}

    private final ClassLoader loader;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    public UiRoutes() {
        this(UiRoutes.class.getClassLoader());
    }

    UiRoutes(ClassLoader loader) {
        this.loader = java.util.Objects.requireNonNull(loader, "loader is null");
    }

    @Override
    public void register(Javalin app) {
        app.get("/", ctx -> ctx.redirect("/ui/", HttpStatus.FOUND), Access.PUBLIC);
        // Javalin matches "/ui" and "/ui/" alike; relative links in index.html need the slash.
        app.get("/ui/", ctx -> {
            if (ctx.path().endsWith("/")) {
                serve(ctx, UI_ROOT, "index.html", false);
            } else {
                ctx.redirect("/ui/", HttpStatus.FOUND);
            }
        }, Access.PUBLIC);
        app.get("/ui/<path>", ctx -> serve(ctx, UI_ROOT, ctx.pathParam("path"), false), Access.PUBLIC);
        app.get("/webjars/<path>", ctx -> serve(ctx, WEBJARS_ROOT, ctx.pathParam("path"), true), Access.PUBLIC);
    }

    private void serve(Context ctx, String root, String path, boolean versioned) {
        if (path.length() > MAX_PATH || !SAFE_PATH.matcher(path).matches()) {
            throw notFound(path);
        }
        String type = TYPES.get(extension(path));
        if (type == null) {
            throw notFound(path);
        }
        Asset asset = cache.computeIfAbsent(root + path, this::load).orElseThrow(() -> notFound(path));
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("ETag", asset.etag());
        if (versioned) {
            // WebJar paths carry the library version, so a file never changes under its URL.
            ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        } else {
            // The UI's own files change with each release: revalidate (cheap, thanks to the ETag).
            ctx.header("Cache-Control", "no-cache");
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            ctx.header("X-Frame-Options", "DENY");
        }
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(type).result(asset.bytes());
    }

    private Optional<Asset> load(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            return Optional.of(new Asset(bytes, "\"" + sha256(bytes).substring(0, 32) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException("reading web UI resource " + resource, e);
        }
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static TributaryException notFound(String path) {
        String shown = path.length() > 80 ? path.substring(0, 80) + "…" : path;
        return new TributaryException(ErrorCode.NOT_FOUND, "no web UI file '" + shown + "'; the UI starts at /ui/");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
