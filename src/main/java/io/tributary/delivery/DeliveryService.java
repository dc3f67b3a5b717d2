package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.Template;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectStore;
import io.tributary.stream.AppendRecord;
import io.tributary.stream.AppendResult;
import io.tributary.stream.StreamLimits;
import io.tributary.stream.ShardStats;
import io.tributary.stream.StreamLog;
import io.tributary.stream.StreamReaders;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery streams of a server: creates, updates and deletes them (from the pipeline or the
 * Firehose API), keeps their specs in {@code <data-dir>/delivery/<name>/}, runs one
 * {@link DeliveryStream} each, and buffers direct puts durably in an internal stream
 * ({@code __firehose.<name>}) so that they are delivered exactly once like stream records.
 *
 * <p>Thread-safe: lifecycle operations are serialised; puts, status and flush run concurrently.
 */
public final class DeliveryService implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);
    /** Streams holding direct puts are named with this prefix; they are not user streams. */
    public static final String INTERNAL_STREAM_PREFIX = StreamLimits.INTERNAL_PREFIX;

    /** What {@link #apply} did. */
    public enum Outcome {
        CREATED,
        UPDATED,
        UNCHANGED,
    }

    private final Path directory;
    private final DeliveryStream.Context context;
    private final Map<String, DeliveryStream> streams = new ConcurrentHashMap<>();
    /** Firehose API settings of each delivery stream, kept with its spec; guarded by this. */
    private final Map<String, FirehoseSettings> settings = new ConcurrentHashMap<>();
    private boolean started;

    public DeliveryService(Path directory, StreamLog log, ObjectStore store, Clock clock, DeliveryMetrics metrics,
            PartitionListener listener, RecordTransformers transformers) {
        this.directory = requireNonNull(directory, "directory is null");
        this.context = new DeliveryStream.Context(log, store, clock, metrics, listener, transformers);
    }

    /** Starts the delivery streams created before, first re-delivering any batch a crash interrupted. */
    public synchronized void start() {
        started = true;
        try {
            Files.createDirectories(directory);
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(directory, Files::isDirectory)) {
                for (Path dir : dirs) {
                    Path file = dir.resolve("spec.json");
                    if (!Files.exists(file)) {
                        continue;
                    }
                    JsonNode node = Json.mapper().readTree(file.toFile());
                    DeliveryStreamSpec spec = DeliveryStreamSpec.fromJson(node.path("spec"));
                    Instant created = Instant.parse(node.path("created").asText());
                    settings.put(spec.name(), FirehoseSettings.fromJson(node.get("firehose")));
                    try {
                        launch(spec, created);
                    } catch (TributaryException e) {
                        LOG.error("Delivery stream {} cannot start: {}", spec.name(), e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "reading delivery streams from " + directory + " failed: " + e.getMessage(), e);
        }
    }

    /** Creates a delivery stream, or replaces one whose spec differs (flushing it first). */
    public synchronized Outcome apply(DeliveryStreamSpec spec) {
        DeliveryStream existing = streams.get(spec.name());
        if (existing != null && existing.spec().equals(spec)) {
            return Outcome.UNCHANGED;
        }
        validate(spec);
        Instant created = existing != null ? existing.status().created() : context.clock().instant();
        if (existing != null) {
            existing.close();
            streams.remove(spec.name());
        } else if (spec.source().isPresent()) {
            startAt(spec);
        }
        persist(spec, created, settings.getOrDefault(spec.name(), FirehoseSettings.NONE));
        launch(spec, created);
        LOG.info("{} delivery stream {}: {} -> s3://{}/{}", existing == null ? "Created" : "Updated", spec.name(),
                spec.source().orElse("direct put"), spec.bucket(), spec.prefix());
        return existing == null ? Outcome.CREATED : Outcome.UPDATED;
    }

    /**
     * Creates a delivery stream.
     *
     * @throws TributaryException {@code ALREADY_EXISTS} if one has that name
     */
    public synchronized void create(DeliveryStreamSpec spec) {
        create(spec, FirehoseSettings.NONE);
    }

    /** Creates a delivery stream through the Firehose API, keeping the settings it does not act on. */
    public synchronized void create(DeliveryStreamSpec spec, FirehoseSettings firehose) {
        requireNonNull(firehose, "firehose is null");
        if (streams.containsKey(spec.name())) {
            throw new TributaryException(ErrorCode.ALREADY_EXISTS, "delivery stream '" + spec.name() + "' already exists");
        }
        settings.put(spec.name(), firehose);
        try {
            apply(spec);
        } catch (RuntimeException e) {
            settings.remove(spec.name());
            throw e;
        }
    }

    /** The Firehose API settings of a delivery stream ({@link FirehoseSettings#NONE} for a declared one). */
    public FirehoseSettings firehoseSettings(String name) {
        require(name);
        return settings.getOrDefault(name, FirehoseSettings.NONE);
    }

    /** Replaces a delivery stream's Firehose API settings (its tags), durably. */
    public synchronized void updateFirehoseSettings(String name, java.util.function.UnaryOperator<FirehoseSettings> change) {
        DeliveryStream stream = require(name);
        FirehoseSettings updated = change.apply(settings.getOrDefault(name, FirehoseSettings.NONE));
        persist(stream.spec(), stream.status().created(), updated);
        settings.put(name, updated);
    }

    /** Deletes a delivery stream after delivering what it buffers; the lake's objects stay. */
    public synchronized void delete(String name) {
        DeliveryStream stream = require(name);
        stream.close();
        streams.remove(name);
        context.metrics().remove(name);
        if (stream.spec().directPut()) {
            if (context.log().findStream(stream.sourceStream()).isPresent()) {
                context.log().deleteStream(stream.sourceStream());
            }
        } else if (context.log().findStream(stream.sourceStream()).isPresent()) {
            context.log().checkpoints().delete(DeliveryStream.consumerName(name), stream.sourceStream());
        }
        deleteRecursively(directory.resolve(name));
        settings.remove(name);
        LOG.info("Deleted delivery stream {}", name);
    }

    /** The delivery streams reading each stream, so deleting a source stream can be refused. */
    public StreamReaders readers() {
        return stream -> streams.values().stream()
                .filter(d -> d.spec().source().filter(stream::equals).isPresent())
                .map(d -> new StreamReaders.Reader("delivery stream '" + d.spec().name() + "'", true,
                        "delete delivery stream '" + d.spec().name() + "' (Firehose DeleteDeliveryStream, or leave it out of "
                                + "pipeline.delivery-streams and apply with --prune)"))
                .sorted(java.util.Comparator.comparing(StreamReaders.Reader::description))
                .toList();
    }

    public List<String> names() {
        return streams.keySet().stream().sorted().toList();
    }

    public Optional<DeliveryStreamSpec> spec(String name) {
        return Optional.ofNullable(streams.get(name)).map(DeliveryStream::spec);
    }

    public DeliveryStatus status(String name) {
        return require(name).status();
    }

    /**
     * Delivers what a delivery stream buffers now, without waiting for its hints.
     *
     * @return the number of source records delivered
     */
    public int flush(String name) {
        return require(name).flush(120_000);
    }

    /**
     * Appends direct-put records durably; they are acknowledged when this returns.
     *
     * @throws TributaryException {@code INVALID_ARGUMENT} when the delivery stream reads a stream
     *     (as Firehose refuses puts to such a stream), {@code THROTTLED} when the log is saturated
     */
    public List<AppendResult> put(String name, List<byte[]> records) {
        DeliveryStream stream = require(name);
        if (!stream.spec().directPut()) {
            throw TributaryException.invalidArgument("delivery stream '%s' reads stream '%s'; put records into that stream instead "
                    + "(as Firehose refuses PutRecord for a stream-sourced delivery stream)", name, stream.sourceStream());
        }
        List<AppendRecord> batch = new ArrayList<>(records.size());
        for (byte[] data : records) {
            batch.add(new AppendRecord(UUID.randomUUID().toString(), data));
        }
        CompletableFuture<List<AppendResult>> future = context.log().append(stream.sourceStream(), batch);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TributaryException(ErrorCode.CANCELLED, "interrupted while waiting for the records to become durable");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TributaryException t) {
                throw t;
            }
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "the write failed: " + e.getCause(), e.getCause());
        }
    }

    private DeliveryStream require(String name) {
        DeliveryStreamSpec.validateName(name);
        DeliveryStream stream = streams.get(name);
        if (stream == null) {
            throw TributaryException.notFound("delivery stream '%s' does not exist; declare it under pipeline.delivery-streams or "
                    + "create it with the Firehose API", name);
        }
        return stream;
    }

    /** Checks what a spec refers to: buckets, the source stream, processors, and that its prefixes make valid keys. */
    private void validate(DeliveryStreamSpec spec) {
        String what = "Delivery stream '" + spec.name() + "'";
        requireBucket(what, spec.bucket());
        spec.perRecord().ifPresent(pr -> {
            pr.routes().values().forEach(l -> requireBucket(what, l.bucket()));
            pr.defaultRoute().ifPresent(l -> requireBucket(what, l.bucket()));
        });
        if (spec.source().isPresent()) {
            String source = spec.source().get();
            if (source.startsWith(INTERNAL_STREAM_PREFIX)) {
                throw TributaryException.invalidArgument("%s: stream '%s' is another delivery stream's internal buffer", what, source);
            }
            if (context.log().findStream(source).isEmpty()) {
                throw TributaryException.notFound("%s: source stream '%s' does not exist; declare it under pipeline.streams", what, source);
            }
        }
        spec.processors().forEach(p -> context.transformers().create(spec.name(), p));
        for (Template t : List.of(spec.prefixTemplate(), spec.errorPrefixTemplate())) {
            String sample = t.render(new Template.Values() {
                @Override
                public Instant timestamp() {
                    return Instant.parse("2024-09-06T14:48:46Z");
                }

                @Override
                public String randomString() {
                    return "aBcDeFgHiJk";
                }

                @Override
                public String errorOutputType() {
                    return ErrorOutput.PROCESSING_FAILED;
                }

                @Override
                public Optional<String> partitionKeyFromQuery(String name) {
                    return Optional.of("value");
                }

                @Override
                public Optional<String> partitionKeyFromLambda(String name) {
                    return Optional.of("value");
                }
            });
            if (sample.length() > DeliveryStreamSpec.MAX_EVALUATED_PREFIX) {
                throw TributaryException.invalidArgument("%s: prefix '%s' evaluates to %d characters; Firehose allows at most %d",
                        what, t.text(), sample.length(), DeliveryStreamSpec.MAX_EVALUATED_PREFIX);
            }
            try {
                new Location(spec.bucket(), sample + spec.name() + "-1-2024-09-06-14-48-46-id");
            } catch (TributaryException e) {
                throw TributaryException.invalidArgument("%s: prefix '%s' does not make valid object keys: %s", what, t.text(), e.getMessage());
            }
        }
    }

    /**
     * Places a new delivery stream's checkpoints where it starts reading: at LATEST, every shard's
     * current end, committed before the delivery stream exists, so a restart before its first
     * object cannot move the start; at TRIM_HORIZON, no checkpoint. Any checkpoint left by an
     * earlier delivery stream of the same name is replaced, so it never resumes that one's position.
     */
    private void startAt(DeliveryStreamSpec spec) {
        String source = spec.source().orElseThrow();
        String consumer = DeliveryStream.consumerName(spec.name());
        context.log().checkpoints().delete(consumer, source);
        switch (spec.startingPosition()) {
            case LATEST -> {
                Map<Integer, Long> ends = new java.util.TreeMap<>();
                for (ShardStats shard : context.log().stats(source)) {
                    ends.put(shard.shard(), shard.endOffset());
                }
                context.log().checkpoints().commit(consumer, source, ends);
            }
            case TRIM_HORIZON -> {
                // No checkpoint: the cursor starts at each shard's oldest retained record.
            }
        }
    }

    private void requireBucket(String what, String bucket) {
        if (context.store().bucket(bucket).isEmpty()) {
            throw TributaryException.notFound("%s: bucket '%s' does not exist; declare it under pipeline.buckets in tributary.yaml",
                    what, bucket);
        }
    }

    private void launch(DeliveryStreamSpec spec, Instant created) {
        String source = spec.source().orElse(INTERNAL_STREAM_PREFIX + spec.name());
        if (spec.directPut() && context.log().findStream(source).isEmpty()) {
            context.log().createStream(source, 1);
        }
        DeliveryStream stream = new DeliveryStream(spec, source, context, directory.resolve(spec.name()), created);
        if (started) {
            stream.start();
        }
        streams.put(spec.name(), stream);
    }

    private void persist(DeliveryStreamSpec spec, Instant created, FirehoseSettings firehose) {
        Path dir = directory.resolve(spec.name());
        ObjectNode node = Json.mapper().createObjectNode();
        node.set("spec", spec.toJson());
        node.put("created", created.toString());
        if (!firehose.equals(FirehoseSettings.NONE)) {
            node.set("firehose", firehose.toJson());
        }
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("spec.json.tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(node)));
                channel.force(true);
            }
            Files.move(tmp, dir.resolve("spec.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "saving delivery stream " + spec.name() + " failed: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", dir, e.getMessage());
        }
    }

    /** Stops every delivery stream after it has delivered what it buffers. */
    @Override
    public synchronized void close() {
        List<DeliveryStream> all = new ArrayList<>(streams.values());
        // Stop them in parallel: each flushes its buffer, which may take a moment on S3.
        List<Thread> stoppers = all.stream().map(s -> Thread.ofPlatform().name("stop-" + s.spec().name()).start(s::close)).toList();
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        streams.clear();
    }
}
