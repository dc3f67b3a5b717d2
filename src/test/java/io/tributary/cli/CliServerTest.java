package io.tributary.cli;

import io.tributary.server.TestingServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server for a CLI test class, started before its tests and closed after them, and the
 * environment that gives a forked CLI the admin's credentials and the server's address. The fields
 * are static, shared by the subclasses, so the classes run one after another (as Surefire runs them).
 */
abstract class CliServerTest {
    @TempDir
    static Path dir;

    static TestingServer server;
    static Map<String, String> env;

    @BeforeAll
    static void startServer() {
        server = TestingServer.start(dir.resolve("data"));
        env = Map.of("TRIBUTARY_ACCESS_KEY_ID", server.adminKey().accessKeyId(),
                "TRIBUTARY_SECRET_ACCESS_KEY", server.adminKey().secret(),
                "TRIBUTARY_SERVER", server.uri().toString());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }
}
