package io.tributary.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ForkedJvm;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job built as a separate jar, dropped into plugins/, is discovered and run by the CLI like a built-in one. */
class PluginDiscoveryTest {
    @TempDir
    Path dir;

    static final String SOURCE = """
            package com.example.jobs;

            import io.tributary.analytics.*;
            import java.nio.charset.StandardCharsets;
            import java.util.List;

            public final class CountObjectsJob implements AnalyticsJob {
                public String name() { return "count-objects"; }
                public String description() { return "Counts the objects under the input"; }
                public List<JobParameter> parameters() {
                    return List.of(JobParameter.optional("label", JobParameter.Type.STRING, "objects", "Label of the count"));
                }
                public void run(JobContext context) {
                    long n;
                    try (var objects = context.input().objects()) {
                        n = objects.count();
                    }
                    context.report().count("counted", n);
                    context.output().write("count.txt", (context.parameters().string("label") + "=" + n + "\\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            """;

    @Test
    void aThirdPartyJarAddsAJob() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/com/example/jobs"));
        Files.writeString(src.resolve("CountObjectsJob.java"), SOURCE);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "--release", "21", "-cp", System.getProperty("java.class.path"),
                "-d", classes.toString(), src.resolve("CountObjectsJob.java").toString());
        assertThat(status).isZero();
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (OutputStream file = Files.newOutputStream(plugins.resolve("count-objects.jar")); JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new JarEntry("com/example/jobs/CountObjectsJob.class"));
            jar.write(Files.readAllBytes(classes.resolve("com/example/jobs/CountObjectsJob.class")));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("META-INF/services/io.tributary.analytics.AnalyticsJob"));
            jar.write("com.example.jobs.CountObjectsJob\n".getBytes());
            jar.closeEntry();
        }
        Path input = Files.createDirectories(dir.resolve("input"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(input.resolve("o" + i), "x");
        }
        // The plug-in is compiled against the test classpath but the CLI runs with the product classpath only.
        String productClasspath = List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)).stream()
                .filter(p -> !p.contains("test-classes")).reduce((a, b) -> a + java.io.File.pathSeparator + b).orElseThrow();
        ProcessBuilder builder = ForkedJvm.builder(Map.of(), "analyze", "--list", "--plugins-dir", plugins.toString());
        builder.command().set(builder.command().indexOf("-cp") + 1, productClasspath);
        Process list = builder.redirectErrorStream(true).start();
        String listed = new String(list.getInputStream().readAllBytes());
        assertThat(list.waitFor()).isZero();
        assertThat(listed).contains("count-objects").contains("latency-legs").contains("--param label=string");

        ForkedJvm.Result run = ForkedJvm.run(Map.of(), "", "analyze", "count-objects", "--plugins-dir", plugins.toString(),
                "--input", input.toString(), "--output", dir.resolve("out").toString(), "--param", "label=files");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("out/count.txt"))).isEqualTo("files=3\n");
        assertThat(Files.readString(dir.resolve("out/run-report.json"))).contains("\"counted\" : 3").contains("\"SUCCEEDED\"");
        ForkedJvm.Result unknown = ForkedJvm.run(Map.of(), "", "analyze", "count-objects", "--input", input.toString());
        assertThat(unknown.exitCode()).isEqualTo(7);
        assertThat(unknown.stderr()).contains("no analytics job 'count-objects'");
    }
}
