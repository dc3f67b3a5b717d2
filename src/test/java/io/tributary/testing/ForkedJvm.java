package io.tributary.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs Tributary's CLI in a separate JVM with the test classpath, as a user would from the shell. */
public final class ForkedJvm {
    private ForkedJvm() {}

    public record Result(int exitCode, String stdout, String stderr) {}

    public static ProcessBuilder builder(Map<String, String> environment, String... args) {
        return builder(environment, List.of(), args);
    }

    /** As {@link #builder(Map, String...)}, with extra JVM options (before the main class). */
    public static ProcessBuilder builder(Map<String, String> environment, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.tributary.cli.Main");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("TRIBUTARY_ACCESS_KEY_ID");
        builder.environment().remove("TRIBUTARY_SECRET_ACCESS_KEY");
        builder.environment().putAll(environment);
        return builder;
    }

    /** Runs the CLI to completion (at most two minutes) and returns its exit code and output. */
    public static Result run(Map<String, String> environment, String stdin, String... args) throws IOException, InterruptedException {
        File out = File.createTempFile("tributary-cli", ".out");
        File err = File.createTempFile("tributary-cli", ".err");
        try {
            Process process = builder(environment, args).redirectOutput(out).redirectError(err).start();
            process.getOutputStream().write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            process.getOutputStream().close();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("CLI did not finish: " + List.of(args));
            }
            return new Result(process.exitValue(), java.nio.file.Files.readString(out.toPath()), java.nio.file.Files.readString(err.toPath()));
        } finally {
            out.delete();
            err.delete();
        }
    }
}
