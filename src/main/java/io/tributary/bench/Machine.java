package io.tributary.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line description of the machine a benchmark ran on, for the results table. */
public final class Machine {
    private Machine() {}

    public static String describe(Path dataDir) {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(cpu);
        } catch (IOException | RuntimeException ignored) {
            // not Linux: keep the generic description
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        String fs = "";
        try {
            fs = Files.getFileStore(Files.exists(dataDir) ? dataDir : dataDir.toAbsolutePath().getRoot()).type();
        } catch (IOException ignored) {
            // unknown file system type
        }
        return String.format("%d cores (%s), %d GiB RAM, %s %s, Java %s, data on %s",
                Runtime.getRuntime().availableProcessors(), cpu, memory >> 30, System.getProperty("os.name"),
                System.getProperty("os.version"), Runtime.version(), fs.isEmpty() ? "?" : fs);
    }
}
