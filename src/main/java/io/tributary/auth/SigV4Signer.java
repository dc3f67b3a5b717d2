package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs HTTP requests with AWS Signature Version 4, as the CLI and generators do when they call a
 * Tributary server. Thread-safe and stateless apart from the credentials.
 */
public final class SigV4Signer {
    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String accessKeyId;
    private final String secret;
    private final String region;
    private final String service;

    public SigV4Signer(String accessKeyId, String secret, String region, String service) {
        this.accessKeyId = requireNonNull(accessKeyId, "accessKeyId is null");
        this.secret = requireNonNull(secret, "secret is null");
        this.region = requireNonNull(region, "region is null");
        this.service = requireNonNull(service, "service is null");
    }

    /**
     * Returns the headers to add to the request: {@code X-Amz-Date} and {@code Authorization}.
     *
     * @param headers headers the request will carry and that should be signed (for example
     *     {@code Content-Type}, {@code X-Amz-Target}); {@code Host} is added from the URI
     */
    public Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body, Instant now) {
        String amzDate = AMZ_DATE.format(now);
        String date = amzDate.substring(0, 8);
        Map<String, List<String>> signed = new TreeMap<>();
        headers.forEach((k, v) -> signed.put(k.toLowerCase(Locale.ROOT), List.of(v)));
        signed.put("host", List.of(hostHeader(uri)));
        signed.put("x-amz-date", List.of(amzDate));
        List<String> names = new ArrayList<>(signed.keySet());
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String canonical = SigV4.canonicalRequest(method, SigV4.doubleEncodedPath(rawPath),
                SigV4.canonicalQuery(uri.getRawQuery() == null ? "" : uri.getRawQuery(), false),
                signed, names, SigV4.hex(SigV4.sha256(body)));
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String signature = SigV4.signature(SigV4.signingKey(secret, date, region, service),
                SigV4.stringToSign(amzDate, scope, canonical));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("X-Amz-Date", amzDate);
        out.put("Authorization", SigV4.ALGORITHM + " Credential=" + accessKeyId + "/" + scope
                + ", SignedHeaders=" + String.join(";", names) + ", Signature=" + signature);
        return out;
    }

    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || ("http".equals(uri.getScheme()) && port == 80)
                || ("https".equals(uri.getScheme()) && port == 443);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }
}
