package io.tributary.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** HTTPS with a self-signed certificate made by the JDK's keytool, given as PKCS#12, PEM (PKCS#8) and PEM (PKCS#1). */
class TlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    static Path p12;
    static Path certPem;
    static Path keyPkcs8;
    static Path keyPkcs1;
    static SSLContext trusting;
    static javax.net.ssl.TrustManager[] trustManagers;

    @BeforeAll
    static void makeCertificate() throws Exception {
        p12 = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "tributary", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        Certificate cert = ks.getCertificate("tributary");
        Key key = ks.getKey("tributary", PASSWORD.toCharArray());
        certPem = dir.resolve("cert.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        keyPkcs8 = dir.resolve("key.pem");
        Files.writeString(keyPkcs8, pem("PRIVATE KEY", key.getEncoded()));
        keyPkcs1 = dir.resolve("key-rsa.pem");
        Files.writeString(keyPkcs1, pem("RSA PRIVATE KEY", innerOctetString(key.getEncoded())));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trustManagers = tmf.getTrustManagers();
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trustManagers, null);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The PKCS#1 key inside a PKCS#8 PrivateKeyInfo: its last element, an OCTET STRING. */
    static byte[] innerOctetString(byte[] pkcs8) {
        int i = 0;
        i = skipHeader(pkcs8, i);
        // version INTEGER, algorithm SEQUENCE, then the OCTET STRING
        for (int element = 0; element < 2; element++) {
            int start = i;
            int headerEnd = skipHeader(pkcs8, i);
            i = headerEnd + length(pkcs8, start);
        }
        int contentStart = skipHeader(pkcs8, i);
        return Arrays.copyOfRange(pkcs8, contentStart, contentStart + length(pkcs8, i));
    }

    private static int skipHeader(byte[] der, int at) {
        int lengthByte = der[at + 1] & 0xff;
        return at + 2 + (lengthByte < 0x80 ? 0 : lengthByte & 0x7f);
    }

    private static int length(byte[] der, int at) {
        int lengthByte = der[at + 1] & 0xff;
        if (lengthByte < 0x80) {
            return lengthByte;
        }
        int length = 0;
        for (int k = 0; k < (lengthByte & 0x7f); k++) {
            length = (length << 8) | (der[at + 2 + k] & 0xff);
        }
        return length;
    }

    @Test
    void servesHttpsFromEveryKeyFormat() throws Exception {
        List<Map<String, String>> variants = List.of(
                Map.of(ConfigKeys.SERVER_TLS_CERTIFICATE.name(), p12.toString(), ConfigKeys.SERVER_TLS_PASSWORD.name(), PASSWORD),
                Map.of(ConfigKeys.SERVER_TLS_CERTIFICATE.name(), certPem.toString(), ConfigKeys.SERVER_TLS_PRIVATE_KEY.name(), keyPkcs8.toString()),
                Map.of(ConfigKeys.SERVER_TLS_CERTIFICATE.name(), certPem.toString(), ConfigKeys.SERVER_TLS_PRIVATE_KEY.name(), keyPkcs1.toString()));
        int n = 0;
        for (Map<String, String> tls : variants) {
            try (TestingServer server = TestingServer.start(dir.resolve("data" + n++), tls)) {
                assertThat(server.uri().getScheme()).isEqualTo("https");
                HttpClient client = HttpClient.newBuilder().sslContext(trusting).build();
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"UP\"");
                // The search listener serves HTTPS with the same certificate (issue 5).
                assertThat(server.searchUri().getScheme()).isEqualTo("https");
                String basic = java.util.Base64.getEncoder().encodeToString((server.adminKey().accessKeyId() + ":" + server.adminKey().secret())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                HttpResponse<String> cluster = client.send(HttpRequest.newBuilder(server.searchUri().resolve("/_cluster/health"))
                        .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(cluster.statusCode()).isEqualTo(200);
                try (KinesisClient kinesis = KinesisClient.builder().endpointOverride(server.uri()).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                server.adminKey().accessKeyId(), server.adminKey().secret())))
                        .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> trustManagers).build()).build()) {
                    kinesis.createStream(r -> r.streamName("tls").shardCount(1));
                    assertThat(kinesis.listStreams().streamNames()).contains("tls");
                }
                assertThatThrownBy(() -> HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(server.uri().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()))
                        .as("an untrusting client refuses the self-signed certificate")
                        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            }
        }
    }

    @Test
    void badTlsConfigurationIsExplained() throws Exception {
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate");
        assertThatThrownBy(() -> TestingServer.start(dir.resolve("bad1"), Map.of(ConfigKeys.SERVER_TLS_CERTIFICATE.name(), certPem.toString())))
                .hasMessageContaining("server.tls.private-key");
        assertThatThrownBy(() -> TestingServer.start(dir.resolve("bad2"), Map.of(ConfigKeys.SERVER_TLS_CERTIFICATE.name(), garbage.toString(),
                ConfigKeys.SERVER_TLS_PRIVATE_KEY.name(), keyPkcs8.toString())))
                .hasMessageContaining("certificate");
        assertThatThrownBy(() -> TestingServer.start(dir.resolve("bad3"), Map.of(ConfigKeys.SERVER_TLS_CERTIFICATE.name(), p12.toString(),
                ConfigKeys.SERVER_TLS_PASSWORD.name(), "wrong")))
                .hasMessageContaining("TLS");
    }
}
