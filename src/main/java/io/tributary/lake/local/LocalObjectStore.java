package io.tributary.lake.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Durations;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.BucketSpec;
import io.tributary.lake.LifecycleRule;
import io.tributary.lake.Listing;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The object store on local disk: bucket {@code B} is the directory {@code <root>/B/}, an object
 * key is a path below it. Objects are written to a temporary file, forced to disk, then renamed (or,
 * for put-if-absent, hard-linked, which fails if the name exists) into place, so readers never see
 * a partial object and a put is durable when it returns. Bucket rules live in
 * {@code <root>/.tributary/buckets/}, which no bucket name can reach.
 *
 * <p>S3 can hold both {@code a} and {@code a/b}; a file system cannot, so the second is refused with
 * {@code INVALID_ARGUMENT}.
 *
 * <p>Thread-safe.
 */
public final class LocalObjectStore implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(LocalObjectStore.class);
    /**
     * Orders names as S3 orders keys: by code point, which is UTF-8 byte order. UTF-16 order (String's)
     * agrees except where surrogates meet characters from U+E000 up, so only that case takes the slow path.
     */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                if (ca < 0xD800 && cb < 0xD800) {
                    return ca - cb;
                }
                return Integer.compare(a.codePointAt(i), b.codePointAt(i));
            }
        }
        return a.length() - b.length();
    };

    private final Path root;
    private final Path internal;
    private final Path temp;
    private final Clock clock;
    private final Map<String, BucketSpec> buckets = new ConcurrentHashMap<>();

    public LocalObjectStore(Path root, Clock clock) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.clock = requireNonNull(clock, "clock is null");
        this.internal = this.root.resolve(".tributary");
        this.temp = internal.resolve("tmp");
        try {
            Files.createDirectories(temp);
            Files.createDirectories(internal.resolve("buckets"));
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(temp)) {
                for (Path leftover : leftovers) {
                    Files.deleteIfExists(leftover);
                }
            }
            try (DirectoryStream<Path> specs = Files.newDirectoryStream(internal.resolve("buckets"), "*.json")) {
                for (Path spec : specs) {
                    BucketSpec bucket = readSpec(spec);
                    buckets.put(bucket.name(), bucket);
                }
            }
        } catch (IOException e) {
            throw failure("cannot open the local object store at " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public synchronized BucketSpec createBucket(BucketSpec spec) {
        BucketSpec existing = buckets.get(spec.name());
        if (existing != null && existing.immutable()) {
            if (!spec.immutable()) {
                throw new TributaryException(ErrorCode.IMMUTABLE, "bucket '" + spec.name()
                        + "' is immutable (write-once) and cannot be made mutable, as with S3 Object Lock in compliance mode");
            }
            if (spec.retention().compareTo(existing.retention()) < 0) {
                throw new TributaryException(ErrorCode.IMMUTABLE, "the retention of immutable bucket '" + spec.name()
                        + "' is " + Durations.format(existing.retention()) + " and cannot be shortened to " + Durations.format(spec.retention()));
            }
        }
        try {
            Files.createDirectories(root.resolve(spec.name()));
            writeAtomically(internal.resolve("buckets").resolve(spec.name() + ".json"), Json.mapper().writeValueAsBytes(toJson(spec)));
        } catch (IOException e) {
            throw failure("cannot create bucket " + spec.name(), e);
        }
        buckets.put(spec.name(), spec);
        if (existing == null) {
            LOG.info("Created bucket {}{} at {}", spec.name(), spec.immutable() ? " (immutable, retention " + Durations.format(spec.retention()) + ")" : "",
                    root.resolve(spec.name()));
        }
        return spec;
    }

    @Override
    public Optional<BucketSpec> bucket(String name) {
        return Optional.ofNullable(buckets.get(name));
    }

    @Override
    public List<BucketSpec> buckets() {
        return buckets.values().stream().sorted(Comparator.comparing(BucketSpec::name)).toList();
    }

    private BucketSpec requireBucket(String name) {
        BucketSpec spec = buckets.get(name);
        if (spec == null) {
            throw TributaryException.notFound("bucket '%s' does not exist; declare it under pipeline.buckets in tributary.yaml", name);
        }
        return spec;
    }

    private Path path(Location location) {
        requireBucket(location.bucket());
        if (location.key().isEmpty() || location.key().endsWith("/")) {
            throw TributaryException.invalidArgument("%s names a prefix, not an object", location);
        }
        Path path = root.resolve(location.bucket()).resolve(location.key()).normalize();
        if (!path.startsWith(root.resolve(location.bucket()))) {
            throw TributaryException.invalidArgument("%s escapes its bucket", location);
        }
        return path;
    }

    @Override
    public void put(Location location, Path source) {
        Path tmp = stage(location, in -> Files.copy(source, in, StandardCopyOption.REPLACE_EXISTING));
        publish(location, tmp);
    }

    @Override
    public void put(Location location, byte[] data) {
        Path tmp = stage(location, in -> Files.write(in, data));
        publish(location, tmp);
    }

    @Override
    public boolean putIfAbsent(Location location, byte[] data) {
        return publishIfAbsent(location, stage(location, in -> Files.write(in, data)));
    }

    @Override
    public boolean putIfAbsent(Location location, Path source) {
        return publishIfAbsent(location, stage(location, in -> Files.copy(source, in, StandardCopyOption.REPLACE_EXISTING)));
    }

    private interface Writer {
        void write(Path file) throws IOException;
    }

    private Path stage(Location location, Writer writer) {
        Path target = path(location);
        Path tmp = temp.resolve(UUID.randomUUID() + ".part");
        try {
            writer.write(tmp);
            // Last-modified comes from the injected clock, so retention and lifecycle follow test time.
            Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.from(clock.instant()));
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Path parent = target.getParent();
            if (Files.exists(parent) && !Files.isDirectory(parent)) {
                throw TributaryException.invalidArgument("%s cannot be stored: an object exists where its prefix would be", location);
            }
            Files.createDirectories(parent);
            return tmp;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            if (e instanceof TributaryException t) {
                throw t;
            }
            if (e instanceof java.nio.file.FileSystemException fse && fse.getFile() != null && fse.getFile().startsWith(root.toString())
                    && !(e instanceof NoSuchFileException)) {
                throw TributaryException.invalidArgument("%s cannot be stored: an object exists where its prefix would be (%s)", location,
                        fse.getReason());
            }
            throw failure("writing " + location + " failed", e);
        }
    }

    private void publish(Location location, Path tmp) {
        Path target = path(location);
        try {
            if (Files.isDirectory(target)) {
                throw TributaryException.invalidArgument("%s cannot be stored: a prefix with that name exists", location);
            }
            if (requireBucket(location.bucket()).immutable()) {
                if (!linkIfAbsent(tmp, target)) {
                    throw immutable(location, "overwritten");
                }
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(target.getParent());
        } catch (IOException e) {
            throw failure("publishing " + location + " failed", e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private boolean publishIfAbsent(Location location, Path tmp) {
        Path target = path(location);
        try {
            if (Files.isDirectory(target)) {
                throw TributaryException.invalidArgument("%s cannot be stored: a prefix with that name exists", location);
            }
            boolean written = linkIfAbsent(tmp, target);
            if (written) {
                forceDirectory(target.getParent());
            }
            return written;
        } catch (IOException e) {
            throw failure("publishing " + location + " failed", e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** A hard link is created atomically and fails if the name exists: put-if-absent without a race. */
    private static boolean linkIfAbsent(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (FileAlreadyExistsException exists) {
                return false;
            }
        }
    }

    private TributaryException immutable(Location location, String action) {
        return new TributaryException(ErrorCode.IMMUTABLE, location + " cannot be " + action + ": bucket '" + location.bucket()
                + "' is immutable (write-once, as S3 Object Lock in compliance mode)");
    }

    @Override
    public Optional<ObjectInfo> stat(Location location) {
        Path path = path(location);
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new ObjectInfo(location, attributes.size(), attributes.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("reading the attributes of " + location + " failed", e);
        }
    }

    @Override
    public InputStream open(Location location) {
        Path path = path(location);
        try {
            // No stat first: a million-object job pays for every system call. A directory (a prefix)
            // opens on Linux but fails on the first read, so that case is checked only on failure.
            InputStream in = Files.newInputStream(path);
            return new java.io.FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return super.read(b, off, len);
                    } catch (IOException e) {
                        if (Files.isDirectory(path)) {
                            throw TributaryException.notFound("object %s does not exist (it is a prefix)", location);
                        }
                        throw e;
                    }
                }
            };
        } catch (NoSuchFileException e) {
            throw TributaryException.notFound("object %s does not exist", location);
        } catch (IOException e) {
            if (Files.isDirectory(path)) {
                throw TributaryException.notFound("object %s does not exist (it is a prefix)", location);
            }
            throw failure("opening " + location + " failed", e);
        }
    }

    @Override
    public Stream<ObjectInfo> list(Location prefix) {
        requireBucket(prefix.bucket());
        String key = prefix.key();
        String directory = key.contains("/") ? key.substring(0, key.lastIndexOf('/') + 1) : "";
        Path start = root.resolve(prefix.bucket()).resolve(directory);
        if (!Files.isDirectory(start)) {
            return Stream.empty();
        }
        Iterator<ObjectInfo> iterator = new KeyOrderWalk(prefix.bucket(), start, directory, key);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public Listing listLevel(Location prefix) {
        requireBucket(prefix.bucket());
        String key = prefix.key();
        String directory = key.contains("/") ? key.substring(0, key.lastIndexOf('/') + 1) : "";
        String namePrefix = key.substring(directory.length());
        Path dir = root.resolve(prefix.bucket()).resolve(directory);
        List<ObjectInfo> objects = new ArrayList<>();
        List<Location> prefixes = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new Listing(objects, prefixes);
        }
        for (Entry entry : sortedEntries(dir)) {
            if (!entry.name().startsWith(namePrefix)) {
                continue;
            }
            if (entry.directory()) {
                if (hasObjects(entry.path())) {
                    prefixes.add(new Location(prefix.bucket(), directory + entry.name() + "/"));
                }
            } else {
                objects.add(new ObjectInfo(new Location(prefix.bucket(), directory + entry.name()), entry.size(), entry.modified()));
            }
        }
        return new Listing(objects, prefixes);
    }

    @Override
    public void delete(Location location) {
        Path path = path(location);
        BucketSpec bucket = requireBucket(location.bucket());
        try {
            if (bucket.immutable()) {
                Optional<ObjectInfo> info = stat(location);
                if (info.isPresent() && !retentionOver(bucket, info.get(), clock.instant())) {
                    throw immutable(location, "deleted before its retention of " + Durations.format(bucket.retention()) + " ends");
                }
            }
            if (Files.deleteIfExists(path)) {
                pruneEmptyParents(path.getParent(), root.resolve(location.bucket()));
            }
        } catch (IOException e) {
            throw failure("deleting " + location + " failed", e);
        }
    }

    private static boolean retentionOver(BucketSpec bucket, ObjectInfo info, Instant now) {
        return !info.lastModified().plus(bucket.retention()).isAfter(now);
    }

    @Override
    public int applyLifecycle(Instant now) {
        int deleted = 0;
        for (BucketSpec bucket : buckets()) {
            for (LifecycleRule rule : bucket.lifecycle()) {
                List<ObjectInfo> expired;
                try (Stream<ObjectInfo> objects = list(new Location(bucket.name(), rule.prefix()))) {
                    expired = objects.filter(o -> !o.lastModified().plus(rule.expireAfter()).isAfter(now))
                            .filter(o -> !bucket.immutable() || retentionOver(bucket, o, now))
                            .toList();
                }
                for (ObjectInfo object : expired) {
                    try {
                        Path path = path(object.location());
                        if (Files.deleteIfExists(path)) {
                            deleted++;
                            pruneEmptyParents(path.getParent(), root.resolve(bucket.name()));
                        }
                    } catch (IOException e) {
                        LOG.warn("Lifecycle could not delete {}: {}", object.location(), e.getMessage());
                    }
                }
            }
        }
        if (deleted > 0) {
            LOG.info("Lifecycle rules expired {} object(s)", deleted);
        }
        return deleted;
    }

    @Override
    public Optional<Path> localPath(Location location) {
        return Optional.of(path(location));
    }

    /** The directory that holds a bucket, for engines that read prefixes directly. */
    public Path bucketDirectory(String bucket) {
        requireBucket(bucket);
        return root.resolve(bucket);
    }

    @Override
    public void close() {}

    /**
     * @param sortKey the name, with '/' appended for a directory: its children's keys continue from there
     * @param bmp true when the key has no character from U+D800 up, so String's (intrinsic) order is S3's
     */
    private record Entry(String name, Path path, boolean directory, long size, Instant modified, String sortKey, boolean bmp) {
        Entry(String name, Path path, boolean directory, long size, Instant modified) {
            this(name, path, directory, size, modified, directory ? name + "/" : name, belowSurrogates(name));
        }

        static int compare(Entry x, Entry y) {
            return x.bmp && y.bmp ? x.sortKey.compareTo(y.sortKey) : KEY_ORDER.compare(x.sortKey, y.sortKey);
        }
    }

    private static boolean belowSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0xD800) {
                return false;
            }
        }
        return true;
    }

    private static List<Entry> sortedEntries(Path dir) {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    entries.add(new Entry(p.getFileName().toString(), p, a.isDirectory(), a.size(), a.lastModifiedTime().toInstant()));
                } catch (NoSuchFileException e) {
                    // deleted while listing
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir + " failed", e);
        }
        entries.sort(Entry::compare);
        return entries;
    }

    private static boolean hasObjects(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.anyMatch(Files::isRegularFile);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Depth-first walk in key order, holding one sorted directory listing per level. */
    private final class KeyOrderWalk implements Iterator<ObjectInfo> {
        private final String bucket;
        private final String keyPrefix;
        private final Deque<Iterator<Entry>> stack = new ArrayDeque<>();
        private final Deque<String> directories = new ArrayDeque<>();
        private ObjectInfo next;

        KeyOrderWalk(String bucket, Path start, String directory, String keyPrefix) {
            this.bucket = bucket;
            this.keyPrefix = keyPrefix;
            stack.push(sortedEntries(start).iterator());
            directories.push(directory);
        }

        @Override
        public boolean hasNext() {
            while (next == null && !stack.isEmpty()) {
                Iterator<Entry> level = stack.peek();
                if (!level.hasNext()) {
                    stack.pop();
                    directories.pop();
                    continue;
                }
                Entry entry = level.next();
                String key = directories.peek() + entry.name();
                if (entry.directory()) {
                    String dirKey = key + "/";
                    // Descend only where keys can still match the prefix.
                    if (dirKey.startsWith(keyPrefix) || keyPrefix.startsWith(dirKey)) {
                        stack.push(sortedEntries(entry.path()).iterator());
                        directories.push(dirKey);
                    }
                } else if (key.startsWith(keyPrefix)) {
                    next = new ObjectInfo(new Location(bucket, key), entry.size(), entry.modified());
                }
            }
            return next != null;
        }

        @Override
        public ObjectInfo next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ObjectInfo out = next;
            next = null;
            return out;
        }
    }

    private static void pruneEmptyParents(Path dir, Path stop) {
        Path current = dir;
        while (current != null && current.startsWith(stop) && !current.equals(stop)) {
            try {
                Files.delete(current);
            } catch (IOException e) {
                return; // not empty, or already gone
            }
            current = current.getParent();
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open directories; the rename is still atomic there.
        }
    }

    private void writeAtomically(Path target, byte[] data) throws IOException {
        Path tmp = temp.resolve(UUID.randomUUID() + ".part");
        Files.write(tmp, data);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a leftover temp file is removed at the next start
        }
    }

    private static ObjectNode toJson(BucketSpec spec) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("name", spec.name()).put("immutable", spec.immutable()).put("retention", Durations.format(spec.retention()));
        ArrayNode rules = node.putArray("lifecycle");
        for (LifecycleRule rule : spec.lifecycle()) {
            rules.addObject().put("prefix", rule.prefix()).put("expireAfter", Durations.format(rule.expireAfter()));
        }
        return node;
    }

    private static BucketSpec readSpec(Path file) throws IOException {
        JsonNode node = Json.mapper().readTree(file.toFile());
        List<LifecycleRule> rules = new ArrayList<>();
        for (JsonNode rule : node.path("lifecycle")) {
            rules.add(new LifecycleRule(rule.path("prefix").asText(), Durations.parse(rule.path("expireAfter").asText())));
        }
        return new BucketSpec(node.path("name").asText(), node.path("immutable").asBoolean(),
                Durations.parse(node.path("retention").asText("0s")), rules);
    }

    private static TributaryException failure(String what, Exception e) {
        return new TributaryException(ErrorCode.STORAGE_FAILURE, what + ": " + e.getMessage(), e);
    }
}
