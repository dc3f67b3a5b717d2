package io.tributary.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tributary.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Telemetry records in the governance platform's shape ({@code CSP}, {@code data_type},
 * {@code governance_data}, {@code log_id}, {@code service_name}, {@code timestamps}), with hop
 * timestamps in its ISO-8601 microsecond format. Used by benchmarks (synthetic hop delays drawn from
 * distributions like the archived sample's) and by the CNA emulator (which stamps real times).
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class TelemetryRecords {
    public static final DateTimeFormatter HOP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);
    static final String[] LOG_LINES = {"Application started successfully.", "Collecting system metrics.", "Metrics collected successfully.",
            "Sending data to API Gateway.", "Data sent successfully.", "Error handling and logging mechanism operational.",
            "System monitoring and logging active.", "Routine check completed successfully.", "No errors detected in the last cycle.",
            "All systems functional."};

    private final SplittableRandom random;

    public TelemetryRecords(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public static String hopTime(Instant instant) {
        return HOP_TIME.format(instant);
    }

    /**
     * A logs record with all hops stamped synthetically from {@code start}: typical leg delays of the
     * archived sample (milliseconds: AWS about 22, 48, 700, 90, 90; IBM about 72, 90, 90), with a long tail.
     */
    public byte[] syntheticLog(String csp, Instant start) {
        Map<String, String> timestamps = new LinkedHashMap<>();
        Instant t = start;
        timestamps.put("cna_timestamp", hopTime(t));
        if (csp.equals("AWS")) {
            t = t.plusNanos(delayMicros(22) * 1000);
            timestamps.put("RG_1_API_Gateway_timestamp", hopTime(t));
            t = t.plusNanos(delayMicros(48) * 1000);
            timestamps.put("RG_1_SQS_Forwarder_timestamp", hopTime(t));
            t = t.plusNanos(delayMicros(700) * 1000);
        } else {
            t = t.plusNanos(delayMicros(72) * 1000);
        }
        timestamps.put("RG_GOV_IMS_API_Gateway_timestamp", hopTime(t));
        t = t.plusNanos(delayMicros(90) * 1000);
        timestamps.put("RG_GOV_IMS_Converter_timestamp", hopTime(t));
        t = t.plusNanos(delayMicros(90) * 1000);
        timestamps.put("RG_GOV_IMS_Archiver_timestamp", hopTime(t));
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < LOG_LINES.length; i++) {
            data.put("log_" + (i + 1), LOG_LINES[i]);
        }
        return record(csp, "logs", new UUID(random.nextLong(), random.nextLong()).toString(), data, timestamps);
    }

    /** A record in the platform's shape with the given fields. */
    public static byte[] record(String csp, String dataType, String logId, Map<String, Object> governanceData, Map<String, String> timestamps) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("CSP", csp);
            g.writeStringField("data_type", dataType);
            g.writeNullField("error");
            g.writeObjectField("governance_data", governanceData);
            g.writeStringField("log_id", logId);
            g.writeStringField("service_name", "cna-app");
            g.writeObjectField("timestamps", timestamps);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A delay around a typical value: mostly within ±30%, one in twenty several times longer. */
    private long delayMicros(double typicalMillis) {
        double factor = 0.7 + random.nextDouble() * 0.6;
        if (random.nextInt(20) == 0) {
            factor *= 2 + random.nextDouble() * 6;
        }
        return Math.max(1, Math.round(typicalMillis * factor * 1000));
    }
}
