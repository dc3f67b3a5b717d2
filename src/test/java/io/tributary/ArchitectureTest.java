package io.tributary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: cli and the server assembly on top, then web, then capabilities,
 * then common. Each top-level package lists what it may import; a new package must be added here
 * deliberately.
 */
class ArchitectureTest {
    private static final Set<String> FOUNDATION = Set.of("common", "config");
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("common", Set.of()),
            Map.entry("config", Set.of("common")),
            Map.entry("metadata", Set.of()),
            Map.entry("auth", Set.of("metadata")),
            Map.entry("content", Set.of("auth", "metadata")),
            Map.entry("aws", Set.of("auth")),
            Map.entry("stream", Set.of()),
            Map.entry("lake", Set.of()),
            Map.entry("analytics", Set.of("lake", "metadata", "schedule")),
            Map.entry("schedule", Set.of("metadata")),
            Map.entry("telemetry", Set.of("auth", "stream")),
            Map.entry("ingest", Set.of("auth", "aws", "stream")),
            Map.entry("client", Set.of("auth")),
            Map.entry("generate", Set.of("client")),
            Map.entry("delivery", Set.of("auth", "aws", "stream", "lake")),
            Map.entry("search", Set.of("stream")),
            Map.entry("sql", Set.of("auth", "aws", "lake", "metadata", "schedule", "delivery")),
            Map.entry("pipeline", Set.of("auth", "stream", "lake", "delivery", "schedule", "search", "sql")),
            Map.entry("web", Set.of("auth", "content", "aws", "stream", "ingest", "pipeline", "metadata", "analytics", "lake", "schedule", "telemetry",
                    "delivery", "search", "sql")),
            Map.entry("server", Set.of("auth", "content", "aws", "stream", "ingest", "pipeline", "metadata", "web", "analytics", "lake", "schedule",
                    "telemetry", "delivery", "search", "sql")),
            Map.entry("bench", Set.of("auth", "stream", "server", "client", "generate", "analytics", "lake", "delivery", "search", "sql")),
            Map.entry("cli", Set.of("auth", "stream", "server", "client", "generate", "bench", "pipeline", "analytics", "lake", "schedule",
                    "delivery", "sql")));

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.tributary\\.([a-z]+)\\.", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\bio\\.tributary\\.([a-z]+)\\.[A-Z]");

    @Test
    void dependenciesPointOneWay() throws IOException {
        Path root = Path.of("src/main/java/io/tributary");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(file).getName(0).toString();
                Set<String> allowed = ALLOWED.get(pkg);
                if (allowed == null) {
                    violations.add("package " + pkg + " is not declared in ArchitectureTest");
                    continue;
                }
                String source = Files.readString(file);
                for (Pattern p : List.of(IMPORT, QUALIFIED)) {
                    Matcher m = p.matcher(source);
                    while (m.find()) {
                        String target = m.group(1);
                        if (!target.equals(pkg) && !FOUNDATION.contains(target) && !allowed.contains(target)) {
                            violations.add(root.relativize(file) + " uses " + target);
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void nothingDependsOnTheTopLayers() {
        ALLOWED.forEach((pkg, allowed) -> {
            if (!pkg.equals("cli")) {
                assertThat(allowed).as(pkg).doesNotContain("cli");
            }
            if (!Set.of("server", "cli", "bench").contains(pkg)) {
                assertThat(allowed).as(pkg).doesNotContain("web", "server");
            }
        });
    }
}
