package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import io.tributary.auth.AuthenticationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Verifies AWS Signature Version 4 on incoming requests, in the Authorization header or as a
 * presigned URL. Any region and service name in the credential scope are accepted: one Tributary
 * endpoint serves the Kinesis, Firehose and Athena APIs together.
 *
 * <p>Thread-safe.
 */
public final class SigV4Verifier {
    /** AWS refuses signatures more than 15 minutes from its clock; so does Tributary. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final Duration MAX_PRESIGN_EXPIRY = Duration.ofDays(7);
    private static final Pattern HEX_SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-fA-F]{64}");

    private final Clock clock;

    public SigV4Verifier(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    public static boolean isSigned(RequestView request) {
        return request.header("authorization").map(h -> h.startsWith(SigV4.ALGORITHM)).orElse(false)
                || request.rawQuery().contains("X-Amz-Signature=");
    }

    /**
     * Verifies the request and returns the access key id that signed it.
     *
     * @param secrets looks up the secret of an active access key id
     * @throws AuthenticationException naming what is wrong
     */
    public String verify(RequestView request, Function<String, Optional<String>> secrets) {
        Parsed p = request.header("authorization").filter(h -> h.startsWith(SigV4.ALGORITHM)).isPresent()
                ? parseHeader(request)
                : parsePresigned(request);
        String secret = secrets.apply(p.accessKeyId).orElseThrow(() -> new AuthenticationException(
                Reason.UNKNOWN_KEY, "The security token included in the request is invalid: access key id '"
                        + truncate(p.accessKeyId) + "' is not known or was revoked."));
        checkTime(p);
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        for (String name : p.signedHeaders) {
            if (!headers.containsKey(name)) {
                throw new AuthenticationException(Reason.MALFORMED, "Signed header '" + name + "' is missing from the request.");
            }
        }
        if (!p.signedHeaders.contains("host")) {
            throw new AuthenticationException(Reason.MALFORMED, "The host header must be signed.");
        }
        // A presigned URL signs UNSIGNED-PAYLOAD (S3) or the hash of the (usually empty) body (other services).
        List<String> payloadHashes = p.presigned
                ? List.of(SigV4.UNSIGNED_PAYLOAD, SigV4.hex(SigV4.sha256(request.body().get())))
                : List.of(payloadHash(request));
        String scope = p.date + "/" + p.region + "/" + p.service + "/aws4_request";
        byte[] key = SigV4.signingKey(secret, p.date, p.region, p.service);
        String query = SigV4.canonicalQuery(request.rawQuery(), p.presigned);
        for (String payloadHash : payloadHashes) {
            for (String uri : candidatePaths(request.rawPath())) {
                String canonical = SigV4.canonicalRequest(request.method(), uri, query, headers, p.signedHeaders, payloadHash);
                String expected = SigV4.signature(key, SigV4.stringToSign(p.amzDate, scope, canonical));
                if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), p.signature.getBytes(StandardCharsets.US_ASCII))) {
                    return p.accessKeyId;
                }
            }
        }
        throw new AuthenticationException(Reason.BAD_SIGNATURE,
                "The request signature we calculated does not match the signature you provided. "
                        + "Check your AWS Secret Access Key and signing method.");
    }

    private static List<String> candidatePaths(String rawPath) {
        // Every AWS service but S3 signs the path encoded twice; S3-style clients sign it as sent.
        String twice = SigV4.doubleEncodedPath(rawPath);
        String once = SigV4.singleEncodedPath(rawPath);
        return twice.equals(once) ? List.of(twice) : List.of(twice, once);
    }

    private String payloadHash(RequestView request) {
        Optional<String> declared = request.header("x-amz-content-sha256");
        if (declared.filter(SigV4.UNSIGNED_PAYLOAD::equals).isPresent()) {
            if (!request.secure()) {
                throw new AuthenticationException(Reason.MALFORMED,
                        "UNSIGNED-PAYLOAD is accepted only over HTTPS; sign the payload or use TLS.");
            }
            return SigV4.UNSIGNED_PAYLOAD;
        }
        String actual = SigV4.hex(SigV4.sha256(request.body().get()));
        if (declared.isPresent()) {
            if (!HEX_HASH.matcher(declared.get()).matches()) {
                throw new AuthenticationException(Reason.MALFORMED,
                        "x-amz-content-sha256 must be the hex SHA-256 of the body or UNSIGNED-PAYLOAD.");
            }
            if (!declared.get().equalsIgnoreCase(actual)) {
                throw new AuthenticationException(Reason.BAD_SIGNATURE,
                        "The provided 'x-amz-content-sha256' header does not match what was computed.");
            }
            return declared.get();
        }
        return actual;
    }

    private void checkTime(Parsed p) {
        Instant signedAt = p.signedAt;
        Instant now = clock.instant();
        if (p.presigned) {
            if (now.isAfter(signedAt.plus(p.expires))) {
                throw new AuthenticationException(Reason.EXPIRED, "Request has expired: the presigned URL was valid until "
                        + signedAt.plus(p.expires) + ".");
            }
            if (signedAt.isAfter(now.plus(MAX_SKEW))) {
                throw new AuthenticationException(Reason.EXPIRED, "Signature not yet current: " + p.amzDate + " is in the future.");
            }
            return;
        }
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new AuthenticationException(Reason.EXPIRED, "Signature expired: " + p.amzDate
                    + " is more than 15 minutes from the server time " + SigV4Signer.AMZ_DATE.format(now)
                    + "; check the client's clock.");
        }
    }

    private Parsed parseHeader(RequestView request) {
        String header = request.header("authorization").orElseThrow();
        String rest = header.substring(SigV4.ALGORITHM.length()).trim();
        Map<String, String> parts = new HashMap<>();
        for (String part : rest.split(",")) {
            String trimmed = part.trim();
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw malformed("Authorization header component '" + truncate(trimmed) + "' is not of the form Name=Value.");
            }
            parts.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
        }
        String credential = required(parts, "Credential");
        String signedHeaders = required(parts, "SignedHeaders");
        String signature = required(parts, "Signature");
        String amzDate = request.header("x-amz-date").or(() -> request.header("date"))
                .orElseThrow(() -> malformed("Authorization header requires the X-Amz-Date header."));
        return parsed(credential, signedHeaders, signature, amzDate, false, Duration.ZERO);
    }

    private Parsed parsePresigned(RequestView request) {
        Map<String, String> q = new HashMap<>();
        for (String pair : request.rawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(pair.substring(0, eq), SigV4.decode(pair.substring(eq + 1)));
            }
        }
        if (!SigV4.ALGORITHM.equals(q.get("X-Amz-Algorithm"))) {
            throw malformed("X-Amz-Algorithm must be " + SigV4.ALGORITHM + ".");
        }
        Duration expires;
        try {
            expires = Duration.ofSeconds(Long.parseLong(required(q, "X-Amz-Expires")));
        } catch (NumberFormatException e) {
            throw malformed("X-Amz-Expires must be a number of seconds.");
        }
        if (expires.isNegative() || expires.compareTo(MAX_PRESIGN_EXPIRY) > 0) {
            throw malformed("X-Amz-Expires must be between 0 and 604800 seconds.");
        }
        return parsed(required(q, "X-Amz-Credential"), required(q, "X-Amz-SignedHeaders"),
                required(q, "X-Amz-Signature"), required(q, "X-Amz-Date"), true, expires);
    }

    private Parsed parsed(String credential, String signedHeaders, String signature, String amzDate, boolean presigned, Duration expires) {
        String[] scope = credential.split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request") || scope[0].isEmpty()) {
            throw malformed("Credential must be <access key id>/<date>/<region>/<service>/aws4_request.");
        }
        if (!HEX_SIGNATURE.matcher(signature).matches()) {
            throw malformed("Signature must be 64 lower-case hex characters.");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw malformed("X-Amz-Date '" + truncate(amzDate) + "' is not in the form yyyyMMdd'T'HHmmss'Z'.");
        }
        if (!amzDate.startsWith(scope[1])) {
            throw malformed("The credential scope date " + truncate(scope[1]) + " does not match X-Amz-Date " + amzDate + ".");
        }
        List<String> names = Arrays.asList(signedHeaders.split(";"));
        for (String name : names) {
            if (name.isEmpty() || !name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
                throw malformed("SignedHeaders must be lower-case header names separated by ';'.");
            }
        }
        List<String> sorted = names.stream().sorted().toList();
        if (!sorted.equals(names)) {
            throw malformed("SignedHeaders must be sorted.");
        }
        return new Parsed(scope[0], scope[1], scope[2], scope[3], List.copyOf(names), signature, amzDate, signedAt, presigned, expires);
    }

    private static String required(Map<String, String> parts, String name) {
        String value = parts.get(name);
        if (value == null || value.isEmpty()) {
            throw malformed("Authorization is missing its " + name + ".");
        }
        return value;
    }

    private static AuthenticationException malformed(String message) {
        return new AuthenticationException(Reason.MALFORMED, message);
    }

    private static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private record Parsed(
            String accessKeyId, String date, String region, String service, List<String> signedHeaders,
            String signature, String amzDate, Instant signedAt, boolean presigned, Duration expires) {}
}
