package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import io.tributary.stream.StreamLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary put}: records from arguments, a file or standard input (one per line, as bytes)
 * into a stream through PutRecords. Lines are sent as they arrive, in batches of at most 500
 * records and 5 MiB, each sent once it is full or {@link #LINGER_MILLIS} after its first line;
 * records refused for throughput are retried. A line that cannot be a record (over 1 MiB with its
 * key, or without the {@code --key-field}) is reported with its number and skipped.
 */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = {"Put records into a stream through the Kinesis API.",
                "Records are the DATA arguments, else the lines of --file, else the lines of standard input, sent as they arrive "
                        + "(so `tail -f log | tributary put s` works). Lines are bytes: any encoding is sent as it is."})
final class PutCommand implements Callable<Integer> {
    static final int MAX_BATCH_RECORDS = 500;
    static final long MAX_BATCH_BYTES = 5L * 1024 * 1024;
    /** How long a batch waits for more lines after its first one. */
    static final long LINGER_MILLIS = 100;
    private static final int MAX_ATTEMPTS = 10;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final int QUEUED_LINES = 2_000;

    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "STREAM")
    String stream;

    @Parameters(index = "1..*", paramLabel = "DATA", description = "Record payloads.")
    List<String> data = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read one record per line from this file.")
    Path file;

    @Option(names = {"-k", "--partition-key"}, paramLabel = "KEY", description = "Partition key for every record.")
    String partitionKey;

    @Option(names = "--key-field", paramLabel = "FIELD", description = "Take each record's partition key from this JSON field.")
    String keyField;

    @Option(names = {"-q", "--quiet"}, description = "Print only the summary.")
    boolean quiet;

    /** A record ready to send, with the line it came from. */
    private record Entry(long line, String key, byte[] data) {
        long size() {
            return data.length + StreamLimits.utf8Length(key);
        }
    }

    /** What reading produced: a line, the end, or a read error. */
    private sealed interface Item {
        record Of(LineReader.Line line) implements Item {}

        record End() implements Item {}

        record Failed(IOException error) implements Item {}
    }

    private long put;
    private long failed;
    private long skipped;

    @Override
    public Integer call() throws Exception {
        if (partitionKey != null) {
            int length = partitionKey.codePointCount(0, partitionKey.length());
            if (length < 1 || length > StreamLimits.MAX_PARTITION_KEY_LENGTH) {
                throw new IllegalArgumentException("--partition-key must be 1 to 256 characters long, got " + length);
            }
        }
        TributaryClient c = client.client();
        try {
            if (!data.isEmpty()) {
                List<Entry> batch = new ArrayList<>();
                for (int i = 0; i < data.size(); i++) {
                    toEntry(new LineReader.Line(i + 1, data.get(i).getBytes(StandardCharsets.UTF_8), data.get(i).length(), false), "argument")
                            .ifPresent(batch::add);
                }
                sendAll(c, batch);
            } else {
                try (InputStream in = open()) {
                    stream(c, in);
                }
            }
        } catch (ClientException e) {
            System.err.println("Put " + put + " record(s) into " + stream + " before the error.");
            throw e;
        }
        System.err.println("Put " + put + " record(s) into " + stream
                + (failed > 0 ? ", " + failed + " failed" : "") + (skipped > 0 ? ", " + skipped + " line(s) skipped" : "") + ".");
        if (failed > 0) {
            return ExitCodes.FAILED;
        }
        return skipped > 0 ? ExitCodes.INVALID : ExitCodes.OK;
    }

    private InputStream open() throws IOException {
        if (file == null) {
            return System.in;
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--file " + file + " is a directory; give a file with one record per line");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--file " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("--file " + file + " cannot be read (check its permissions)");
        }
        return Files.newInputStream(file);
    }

    /** Reads lines on a thread of their own, so a batch can be sent while the next line is awaited. */
    private void stream(TributaryClient c, InputStream in) throws IOException, InterruptedException {
        BlockingQueue<Item> queue = new LinkedBlockingQueue<>(QUEUED_LINES);
        String source = file != null ? file.toString() : "standard input";
        Thread reader = Thread.ofVirtual().name("put-reader").start(() -> {
            LineReader lines = new LineReader(in, StreamLimits.MAX_RECORD_BYTES);
            try {
                Optional<LineReader.Line> line;
                while ((line = lines.next()).isPresent()) {
                    if (!line.get().isBlank()) {
                        queue.put(new Item.Of(line.get()));
                    }
                }
                queue.put(new Item.End());
            } catch (IOException e) {
                putQuietly(queue, new Item.Failed(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            List<Entry> batch = new ArrayList<>();
            long batchBytes = 0;
            long deadline = 0;
            while (true) {
                Item item = batch.isEmpty() ? queue.take() : queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (item == null) {
                    sendAll(c, batch);
                    batch.clear();
                    batchBytes = 0;
                    continue;
                }
                if (item instanceof Item.Failed f) {
                    sendAll(c, batch);
                    throw new UncheckedIOException("reading " + source + " failed: " + f.error().getMessage(), f.error());
                }
                if (item instanceof Item.End) {
                    sendAll(c, batch);
                    return;
                }
                Optional<Entry> entry = toEntry(((Item.Of) item).line(), "line");
                if (entry.isEmpty()) {
                    continue;
                }
                if (batch.size() == MAX_BATCH_RECORDS || batchBytes + entry.get().size() > MAX_BATCH_BYTES) {
                    sendAll(c, batch);
                    batch.clear();
                    batchBytes = 0;
                }
                if (batch.isEmpty()) {
                    deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                }
                batch.add(entry.get());
                batchBytes += entry.get().size();
            }
        } finally {
            reader.interrupt();
        }
    }

    private static void putQuietly(BlockingQueue<Item> queue, Item item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The record a line makes, or empty (reported, counted as skipped) when it cannot be one. */
    private Optional<Entry> toEntry(LineReader.Line line, String what) {
        if (line.tooLong()) {
            return skip(line, what + " " + line.number() + " is " + line.length() + " bytes, more than a record may hold ("
                    + StreamLimits.MAX_RECORD_BYTES + " bytes with its partition key)");
        }
        String key;
        if (partitionKey != null) {
            key = partitionKey;
        } else if (keyField != null) {
            Optional<String> value;
            try {
                JsonNode node = Json.mapper().readTree(line.bytes());
                JsonNode field = node == null ? null : node.path(keyField);
                value = field == null || field.isMissingNode() || field.isNull() || field.isContainerNode() || field.asText().isEmpty()
                        ? Optional.empty() : Optional.of(field.asText());
            } catch (IOException e) {
                return skip(line, what + " " + line.number() + " is not JSON, so --key-field " + keyField + " cannot be read from it");
            }
            if (value.isEmpty()) {
                return skip(line, what + " " + line.number() + " has no field '" + keyField + "' to take its partition key from");
            }
            key = value.get();
            if (key.codePointCount(0, key.length()) > StreamLimits.MAX_PARTITION_KEY_LENGTH) {
                return skip(line, what + " " + line.number() + " has a '" + keyField + "' longer than a partition key may be (256 characters)");
            }
        } else {
            key = UUID.randomUUID().toString();
        }
        Entry entry = new Entry(line.number(), key, line.bytes());
        if (entry.size() > StreamLimits.MAX_RECORD_BYTES) {
            return skip(line, what + " " + line.number() + " is " + entry.size() + " bytes with its partition key, more than a record "
                    + "may hold (" + StreamLimits.MAX_RECORD_BYTES + ")");
        }
        return Optional.of(entry);
    }

    private Optional<Entry> skip(LineReader.Line line, String reason) {
        skipped++;
        System.err.println("error: " + reason + "; skipped it (" + put + " record(s) put so far)");
        return Optional.empty();
    }

    /** Sends a batch (at most 500 records and 5 MiB), retrying records refused for throughput with a growing pause. */
    private void sendAll(TributaryClient c, List<Entry> batch) throws InterruptedException {
        List<Entry> pending = new ArrayList<>(batch);
        long backoff = 100;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            ObjectNode request = Json.mapper().createObjectNode().put("StreamName", stream);
            ArrayNode array = request.putArray("Records");
            for (Entry e : pending) {
                array.addObject().put("PartitionKey", e.key()).put("Data", e.data());
            }
            JsonNode results = c.kinesis("PutRecords", request).path("Records");
            List<Entry> retry = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                JsonNode result = results.path(i);
                String error = result.path("ErrorCode").asText("");
                if (error.isEmpty()) {
                    put++;
                    if (!quiet) {
                        System.out.println(result.path("ShardId").asText() + "  " + result.path("SequenceNumber").asText());
                    }
                } else if (error.equals("ProvisionedThroughputExceededException") && attempt < MAX_ATTEMPTS) {
                    retry.add(pending.get(i));
                } else {
                    failed++;
                    System.err.println("record of line " + pending.get(i).line() + " failed: " + error + " "
                            + result.path("ErrorMessage").asText());
                }
            }
            pending = retry;
            if (!pending.isEmpty()) {
                Thread.sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }
}
