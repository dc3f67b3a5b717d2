package io.tributary.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real single-node OpenSearch 3.6 for differential tests: the integ-test distribution (a
 * test-scoped Maven dependency) unpacked once under {@code target/}, started on free ports with
 * the JDK running the tests. OpenSearch refuses to run as root, so as root it runs as
 * {@code nobody} through {@code setpriv}, with its configuration, data and logs in a directory
 * that user owns.
 */
public final class OpenSearchNode implements AutoCloseable {
    private static final String VERSION = "3.6.0";

    private final Process process;
    private final URI uri;
    private final Path runDir;

    private OpenSearchNode(Process process, URI uri, Path runDir) {
        this.process = process;
        this.uri = uri;
        this.runDir = runDir;
    }

    public URI uri() {
        return uri;
    }

    public static OpenSearchNode start() throws IOException, InterruptedException {
        Path home = unpack();
        Path runDir = Files.createTempDirectory(Path.of("target"), "opensearch-run-").toAbsolutePath();
        Path config = runDir.resolve("config");
        copyTree(home.resolve("config"), config);
        // jvm.options names logs/ and data/ relative to the installation, which nobody may not write.
        Path jvmOptions = config.resolve("jvm.options");
        Files.writeString(jvmOptions, Files.readString(jvmOptions).replace("logs/", runDir.resolve("logs") + "/")
                .replace("=data", "=" + runDir.resolve("data")));
        Files.createDirectories(runDir.resolve("data"));
        Files.createDirectories(runDir.resolve("logs"));
        int http;
        int transport;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            http = a.getLocalPort();
            transport = b.getLocalPort();
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> command = new ArrayList<>();
        if (root) {
            run("chown", "-R", "nobody:nogroup", runDir.toString());
            run("chmod", "-R", "a+rX", home.toString());
            command.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        command.add(home.resolve("bin").resolve("opensearch").toString());
        command.addAll(List.of("-Ediscovery.type=single-node", "-Enetwork.host=127.0.0.1", "-Ehttp.port=" + http,
                "-Etransport.port=" + transport, "-Epath.data=" + runDir.resolve("data"), "-Epath.logs=" + runDir.resolve("logs"),
                "-Ecluster.routing.allocation.disk.threshold_enabled=false", "-Eaction.auto_create_index=true"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve("console.log").toFile()));
        builder.environment().put("OPENSEARCH_JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("OPENSEARCH_JAVA_OPTS", "-Xms512m -Xmx512m");
        builder.environment().put("OPENSEARCH_PATH_CONF", config.toString());
        Process process = builder.start();
        URI uri = URI.create("http://127.0.0.1:" + http);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("OpenSearch exited with " + process.exitValue() + "; see " + runDir.resolve("console.log"));
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri.resolve("/_cluster/health?wait_for_status=yellow&timeout=1s")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return new OpenSearchNode(process, uri, runDir);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new IllegalStateException("OpenSearch did not start within 120 s; see " + runDir.resolve("console.log"));
    }

    private static Path zip() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith("opensearch-" + VERSION + ".zip")) {
                return Path.of(entry);
            }
        }
        String repo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        Path path = Path.of(repo, "org", "opensearch", "distribution", "integ-test-zip", "opensearch", VERSION, "opensearch-" + VERSION + ".zip");
        if (!Files.exists(path)) {
            throw new IllegalStateException("the OpenSearch " + VERSION + " distribution is not in the local Maven repository (" + path
                    + "); run ./mvnw dependency:resolve once with network access");
        }
        return path;
    }

    private static synchronized Path unpack() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Path home = target.resolve("opensearch-" + VERSION);
        if (Files.exists(home.resolve(".unpacked"))) {
            return home;
        }
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip()))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (Stream<Path> bins = Files.list(home.resolve("bin"))) {
            for (Path bin : bins.toList()) {
                Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.writeString(home.resolve(".unpacked"), VERSION);
        return home;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream out = p.getInputStream()) {
            out.readAllBytes();
        }
        if (p.waitFor() != 0) {
            throw new IOException("command failed: " + String.join(" ", command));
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> paths = Files.walk(runDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left for mvn clean
        }
    }
}
