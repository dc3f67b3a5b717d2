package io.tributary.cli;

import io.tributary.client.Credentials;
import io.tributary.client.TributaryClient;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options shared by every command that talks to a running server. */
final class ClientOptions {
    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:TRIBUTARY_SERVER:-" + TributaryClient.DEFAULT_SERVER + "}",
            description = "Server to talk to (default: ${DEFAULT-VALUE}; env TRIBUTARY_SERVER). "
                    + "Credentials come from TRIBUTARY_ACCESS_KEY_ID and TRIBUTARY_SECRET_ACCESS_KEY.")
    String server;

    @Option(names = "--insecure", description = "Trust any TLS certificate (for self-signed test servers).")
    boolean insecure;

    TributaryClient client() {
        URI uri;
        try {
            uri = URI.create(server.endsWith("/") ? server : server + "/");
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--server '" + server + "' is not a URL such as http://127.0.0.1:8080");
        }
        if (insecure) {
            System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        }
        return new TributaryClient(new TributaryClient.Config(uri, Credentials.fromEnvironment(System.getenv()), insecure,
                Duration.ofSeconds(120)));
    }
}
