package io.tributary.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/** Verification is checked against the AWS SDK's own signer, so both sides are not the same code. */
class SigV4VerifierTest {
    private static final String KEY_ID = "TKIATESTTESTTEST0001";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant NOW = Instant.parse("2026-11-25T10:15:30Z");

    private final SigV4Verifier verifier = new SigV4Verifier(Clock.fixed(NOW, ZoneOffset.UTC));

    private static Optional<String> secrets(String id) {
        return id.equals(KEY_ID) ? Optional.of(SECRET) : Optional.empty();
    }

    @Test
    void acceptsRequestsSignedByTheAwsSdk() {
        for (String path : List.of("/", "/streams/retail-trans/records", "/api/lake/tributary-lake/json%20data/a%2Bb.json")) {
            RequestView signed = sdkSigned("POST", "http://127.0.0.1:8080" + path + "?b=2&a=1&x=a%20b",
                    "{\"StreamName\":\"retail-trans\"}".getBytes(StandardCharsets.UTF_8), "kinesis");
            assertThat(verifier.verify(signed, SigV4VerifierTest::secrets)).isEqualTo(KEY_ID);
        }
    }

    @Test
    void acceptsRequestsSignedByTributarySigner() {
        URI uri = URI.create("http://localhost:8080/api/streams?limit=5");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("Content-Type", "application/json");
        Map<String, String> auth = new SigV4Signer(KEY_ID, SECRET, "eu-west-1", "tributary").sign("GET", uri, headers, body, NOW);
        Map<String, List<String>> all = new LinkedHashMap<>();
        headers.forEach((k, v) -> all.put(k, List.of(v)));
        auth.forEach((k, v) -> all.put(k, List.of(v)));
        all.put("Host", List.of("localhost:8080"));
        RequestView view = new RequestView("GET", uri.getRawPath(), uri.getRawQuery(), all, () -> body, false);
        assertThat(verifier.verify(view, SigV4VerifierTest::secrets)).isEqualTo(KEY_ID);
    }

    @Test
    void refusesATamperedBody() {
        RequestView signed = sdkSigned("POST", "http://127.0.0.1:8080/", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "kinesis");
        RequestView tampered = new RequestView(signed.method(), signed.rawPath(), signed.rawQuery(), signed.headers(),
                () -> "{\"a\":2}".getBytes(StandardCharsets.UTF_8), false);
        assertThatThrownBy(() -> verifier.verify(tampered, SigV4VerifierTest::secrets))
                .isInstanceOfSatisfying(AuthenticationException.class,
                        e -> assertThat(e.reason()).isEqualTo(AuthenticationException.Reason.BAD_SIGNATURE));
    }

    @Test
    void refusesATamperedQueryOrPathOrHeader() {
        RequestView signed = sdkSigned("GET", "http://127.0.0.1:8080/api/streams?limit=5", new byte[0], "tributary");
        List<RequestView> tampered = List.of(
                new RequestView("GET", signed.rawPath(), "limit=6", signed.headers(), signed.body(), false),
                new RequestView("GET", "/api/streamz", signed.rawQuery(), signed.headers(), signed.body(), false),
                new RequestView("DELETE", signed.rawPath(), signed.rawQuery(), signed.headers(), signed.body(), false),
                withHeader(signed, "host", "evil.example:8080"));
        for (RequestView view : tampered) {
            assertThatThrownBy(() -> verifier.verify(view, SigV4VerifierTest::secrets))
                    .isInstanceOf(AuthenticationException.class);
        }
    }

    @Test
    void refusesAWrongSecretAndAnUnknownKey() {
        RequestView signed = sdkSigned("POST", "http://127.0.0.1:8080/", new byte[] {1, 2, 3}, "kinesis");
        assertThatThrownBy(() -> verifier.verify(signed, id -> Optional.of("another-secret-entirely-000000")))
                .isInstanceOfSatisfying(AuthenticationException.class,
                        e -> assertThat(e.reason()).isEqualTo(AuthenticationException.Reason.BAD_SIGNATURE));
        assertThatThrownBy(() -> verifier.verify(signed, id -> Optional.empty()))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(AuthenticationException.Reason.UNKNOWN_KEY);
                    assertThat(e.getMessage()).contains(KEY_ID);
                });
    }

    @Test
    void refusesSignaturesOutsideTheClockSkewWindow() {
        RequestView signed = sdkSigned("POST", "http://127.0.0.1:8080/", new byte[0], "kinesis");
        for (Duration skew : List.of(Duration.ofMinutes(16), Duration.ofMinutes(-16))) {
            SigV4Verifier later = new SigV4Verifier(Clock.fixed(NOW.plus(skew), ZoneOffset.UTC));
            assertThatThrownBy(() -> later.verify(signed, SigV4VerifierTest::secrets))
                    .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                        assertThat(e.reason()).isEqualTo(AuthenticationException.Reason.EXPIRED);
                        assertThat(e.getMessage()).contains("Signature expired");
                    });
        }
        SigV4Verifier slightlyLater = new SigV4Verifier(Clock.fixed(NOW.plus(Duration.ofMinutes(14)), ZoneOffset.UTC));
        assertThat(slightlyLater.verify(signed, SigV4VerifierTest::secrets)).isEqualTo(KEY_ID);
    }

    @Test
    void explainsMalformedAuthorizationHeaders() {
        RequestView signed = sdkSigned("POST", "http://127.0.0.1:8080/", new byte[0], "kinesis");
        String good = signed.header("authorization").orElseThrow();
        List<String> bad = List.of(
                "AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/20261125/us-east-1/kinesis, SignedHeaders=host, Signature=" + "a".repeat(64),
                "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=" + "a".repeat(64),
                good.replaceAll("Signature=[0-9a-f]+", "Signature=XYZ"),
                good.replace("SignedHeaders=", "SignedHeaders=X-Upper;"),
                "AWS4-HMAC-SHA256 garbage",
                "AWS4-HMAC-SHA256 " + "x".repeat(10_000));
        for (String header : bad) {
            RequestView view = withHeader(signed, "authorization", header);
            assertThatThrownBy(() -> verifier.verify(view, SigV4VerifierTest::secrets))
                    .isInstanceOfSatisfying(AuthenticationException.class,
                            e -> assertThat(e.reason()).isIn(AuthenticationException.Reason.MALFORMED, AuthenticationException.Reason.BAD_SIGNATURE));
        }
        RequestView noDate = new RequestView(signed.method(), signed.rawPath(), signed.rawQuery(),
                without(signed.headers(), "x-amz-date"), signed.body(), false);
        assertThatThrownBy(() -> verifier.verify(noDate, SigV4VerifierTest::secrets))
                .hasMessageContaining("X-Amz-Date");
    }

    @Test
    void unsignedPayloadOnlyOverTls() {
        RequestView signed = sdkSigned("PUT", "http://127.0.0.1:8080/x", new byte[0], "s3");
        RequestView unsigned = withHeader(signed, "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        assertThatThrownBy(() -> verifier.verify(unsigned, SigV4VerifierTest::secrets)).hasMessageContaining("HTTPS");
    }

    @Test
    void acceptsPresignedUrlsUntilTheyExpire() {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create("http://127.0.0.1:8080/api/lake/objects?key=a.json")).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(KEY_ID, SECRET))
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "tributary")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(10))
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));
        RequestView view = view(signed, new byte[0]);
        assertThat(verifier.verify(view, SigV4VerifierTest::secrets)).isEqualTo(KEY_ID);
        SigV4Verifier afterExpiry = new SigV4Verifier(Clock.fixed(NOW.plus(Duration.ofMinutes(11)), ZoneOffset.UTC));
        assertThatThrownBy(() -> afterExpiry.verify(view, SigV4VerifierTest::secrets)).hasMessageContaining("expired");
    }

    private static RequestView sdkSigned(String method, String url, byte[] body, String service) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                .uri(URI.create(url))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "Kinesis_20131202.PutRecords")
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(KEY_ID, SECRET))
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));
        return view(signed, body);
    }

    private static RequestView view(SignedRequest signed, byte[] body) {
        SdkHttpRequest r = signed.request();
        Map<String, List<String>> headers = new LinkedHashMap<>(r.headers());
        if (!headers.containsKey("Host")) {
            headers.put("Host", List.of(r.host() + ":" + r.port()));
        }
        String rawQuery = r.encodedQueryParameters().orElse("");
        return new RequestView(r.method().name(), r.encodedPath(), rawQuery, headers, () -> readAll(signed, body), false);
    }

    private static byte[] readAll(SignedRequest signed, byte[] fallback) {
        return signed.payload().map(p -> {
            try {
                return p.newStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).orElse(fallback);
    }

    private static RequestView withHeader(RequestView view, String name, String value) {
        Map<String, List<String>> headers = new LinkedHashMap<>(without(view.headers(), name));
        headers.put(name, List.of(value));
        return new RequestView(view.method(), view.rawPath(), view.rawQuery(), headers, view.body(), view.secure());
    }

    private static Map<String, List<String>> without(Map<String, List<String>> headers, String name) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase(name)) {
                copy.put(k, new ArrayList<>(v));
            }
        });
        return copy;
    }

}
