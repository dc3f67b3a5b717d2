package io.tributary.ui;

import io.tributary.server.ConfigKeys;
import io.tributary.server.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a server with the lab's data for working on the web UI: {@code --no-auth} unless the first
 * argument is {@code auth}; port 8080 unless a second argument names another.
 */
public final class UiDevServer {
    private UiDevServer() {}

    public static void main(String[] args) throws Exception {
        boolean auth = args.length > 0 && args[0].equals("auth");
        String port = args.length > 1 ? args[1] : "8080";
        Path dir = Files.createTempDirectory("tributary-ui-");
        try (TestingServer s = TestingServer.start(dir, Map.of(ConfigKeys.SERVER_PORT.name(), port,
                ConfigKeys.AUTH_ENABLED.name(), Boolean.toString(auth)))) {
            RetailLabData.load(s.client());
            System.out.println("Tributary UI at " + s.uri() + "/ui/ (admin password " + TestingServer.ADMIN_PASSWORD + "), data in " + dir);
            Thread.currentThread().join();
        }
    }
}
