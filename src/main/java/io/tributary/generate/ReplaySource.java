package io.tributary.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/**
 * Replays an NDJSON file (plain or gzip), one record per line, such as the real Online Retail II
 * sample. {@code InvoiceDate} is kept, shifted by a constant so the newest record lands now, or
 * replaced by the send time.
 *
 * <p>Not thread-safe. Close it to release the file.
 */
public final class ReplaySource implements RecordSource, AutoCloseable {
    public enum Dates {
        KEEP,
        SHIFT,
        NOW,
    }

    private final Path file;
    private final BufferedReader reader;
    private final Dates dates;
    private final String keyField;
    private final Duration shift;
    private long lineNumber;

    public ReplaySource(Path file, Dates dates, String keyField, Instant now) {
        this.file = file;
        this.dates = dates;
        this.keyField = keyField;
        this.shift = dates == Dates.SHIFT ? Duration.between(newestDate(file), now) : Duration.ZERO;
        this.reader = open(file);
    }

    @Override
    public Optional<GeneratedRecord> next(Instant sendTime) {
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                return Optional.of(convert(line, sendTime));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " failed at line " + lineNumber, e);
        }
    }

    private GeneratedRecord convert(String line, Instant sendTime) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, file + " line " + lineNumber + " is not valid JSON");
        }
        if (!(node instanceof ObjectNode record)) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, file + " line " + lineNumber + " is not a JSON object");
        }
        byte[] data;
        if (dates == Dates.KEEP || !record.hasNonNull("InvoiceDate")) {
            data = line.getBytes(StandardCharsets.UTF_8);
        } else {
            Instant date = dates == Dates.NOW ? sendTime : parse(record.get("InvoiceDate").asText()).plus(shift);
            record.put("InvoiceDate", RetailRecords.INVOICE_DATE.format(date));
            data = record.toString().getBytes(StandardCharsets.UTF_8);
        }
        String key = record.path(keyField).asText("");
        return new GeneratedRecord(key.isEmpty() ? UUID.randomUUID().toString() : key, data);
    }

    private static Instant parse(String invoiceDate) {
        return LocalDateTime.parse(invoiceDate, java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                .toInstant(ZoneOffset.UTC);
    }

    private static Instant newestDate(Path file) {
        Instant newest = Instant.EPOCH;
        try (BufferedReader reader = open(file)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode date = Json.mapper().readTree(line).path("InvoiceDate");
                if (date.isTextual()) {
                    Instant d = parse(date.asText());
                    if (d.isAfter(newest)) {
                        newest = d;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "cannot read InvoiceDate values from " + file + ": " + e.getMessage());
        }
        return newest;
    }

    private static BufferedReader open(Path file) {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            in.mark(2);
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            if (b1 == 0x1f && b2 == 0x8b) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.NOT_FOUND, "cannot open " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
