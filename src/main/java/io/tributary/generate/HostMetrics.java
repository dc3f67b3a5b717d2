package io.tributary.generate;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This machine's real metrics, as the governance platform's application reported them with psutil:
 * memory, CPU and disk use in percent, and network bytes sent and received since boot (Linux
 * {@code /proc/net/dev}; 0 where unavailable).
 */
public final class HostMetrics {
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public Map<String, Object> snapshot() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        long total = os.getTotalMemorySize();
        metrics.put("memory_usage", percent(total - os.getFreeMemorySize(), total));
        double cpu = os.getCpuLoad();
        metrics.put("cpu_usage", cpu < 0 ? 0.0 : Math.round(cpu * 1000) / 10.0);
        metrics.put("disk_usage", diskUsage());
        long[] net = network();
        metrics.put("bytes_sent", net[0]);
        metrics.put("bytes_recv", net[1]);
        return metrics;
    }

    private static double percent(long used, long total) {
        return total <= 0 ? 0.0 : Math.round(used * 1000.0 / total) / 10.0;
    }

    private static double diskUsage() {
        try {
            FileStore store = Files.getFileStore(Path.of("/").toAbsolutePath());
            return percent(store.getTotalSpace() - store.getUsableSpace(), store.getTotalSpace());
        } catch (IOException e) {
            return 0.0;
        }
    }

    /** Sent and received bytes over all interfaces but loopback. */
    static long[] network() {
        long sent = 0;
        long received = 0;
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/dev"));
            for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
                int colon = line.indexOf(':');
                if (colon < 0 || line.substring(0, colon).trim().equals("lo")) {
                    continue;
                }
                String[] fields = line.substring(colon + 1).trim().split("\\s+");
                received += Long.parseLong(fields[0]);
                sent += Long.parseLong(fields[8]);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no network counters
        }
        return new long[] {sent, received};
    }
}
