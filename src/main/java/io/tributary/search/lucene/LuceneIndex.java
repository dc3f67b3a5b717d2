package io.tributary.search.lucene;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.search.BulkItem.OpType;
import io.tributary.search.BulkResult;
import io.tributary.search.SearchException;
import io.tributary.search.WriteOptions;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * One index: a Lucene index in its own directory with its mapping, settings and aliases kept in
 * the Lucene commit's user data, so they are always consistent with the documents committed
 * beside them. Writes go to the {@link IndexWriter}; searches see them after a refresh
 * (near-real-time readers from the writer).
 *
 * <p>Writes with version tracking (the REST API) take a per-id lock, look the id up in a live
 * version map (writes since the last refresh) or the last reader, and so report
 * {@code created}/{@code updated}, {@code _version}, and {@code create} conflicts. Stream sinks
 * write without the lookup (their ids are the stream position or a hash, and a replayed record
 * simply replaces itself), as OpenSearch's append-only path for generated ids does.
 *
 * <p>Thread-safe.
 */
final class LuceneIndex implements Closeable {
    static final String NAME = "tributary.index.name";
    static final String UUID = "tributary.index.uuid";
    static final String CREATED = "tributary.index.created";
    static final String MAPPING = "tributary.index.mapping";
    static final String SETTINGS = "tributary.index.settings";
    static final String ALIASES = "tributary.index.aliases";
    static final String MAX_SEQ_NO = "tributary.index.max_seq_no";

    private record VersionValue(long version, long seqNo, boolean deleted) {
        WriteOptions.Current current() {
            return new WriteOptions.Current(version, seqNo, deleted);
        }
    }

    /** How long a deleted document's version is remembered (OpenSearch's index.gc_deletes default), so external versions cannot go back. */
    private static final long TOMBSTONE_NANOS = 60_000_000_000L;

    private record Tombstone(VersionValue value, long atNanos) {}

    private final String name;
    private final String uuid;
    private final long created;
    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Object mappingLock = new Object();
    private final Object[] idLocks = new Object[256];
    private final AtomicLong seqNo;
    private final Map<String, String> commitData = new HashMap<>();
    private volatile IndexMapping mapping;
    private volatile IndexSettings settings;
    private volatile Map<String, ObjectNode> aliases;
    private volatile Map<String, VersionValue> currentVersions = new ConcurrentHashMap<>();
    private volatile Map<String, VersionValue> oldVersions = Map.of();
    private final Map<String, Tombstone> tombstones = new ConcurrentHashMap<>();
    private volatile long lastRefreshNanos = System.nanoTime();
    private final AtomicLong refreshGeneration = new AtomicLong();

    private LuceneIndex(String name, String uuid, long created, Path path, Directory directory, IndexWriter writer,
            IndexMapping mapping, IndexSettings settings, Map<String, ObjectNode> aliases, long maxSeqNo,
            Map<String, String> userData) throws IOException {
        this.name = name;
        this.uuid = uuid;
        this.created = created;
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.mapping = mapping;
        this.settings = settings;
        this.aliases = Map.copyOf(aliases);
        this.seqNo = new AtomicLong(maxSeqNo + 1);
        this.commitData.putAll(userData);
        for (int i = 0; i < idLocks.length; i++) {
            idLocks[i] = new Object();
        }
        this.searchers = new SearcherManager(writer, new SearcherFactory());
        searchers.addListener(new ReferenceManager.RefreshListener() {
            @Override
            public void beforeRefresh() {
                oldVersions = currentVersions;
                currentVersions = new ConcurrentHashMap<>();
            }

            @Override
            public void afterRefresh(boolean didRefresh) {
                oldVersions = Map.of();
                refreshGeneration.incrementAndGet();
                long now = System.nanoTime();
                tombstones.values().removeIf(t -> now - t.atNanos() > TOMBSTONE_NANOS);
            }
        });
    }

    /** Creates a new index in {@code path}, durable when this returns. */
    static LuceneIndex create(Path path, String name, String uuid, long created, IndexMapping mapping, IndexSettings settings,
            Map<String, ObjectNode> aliases, double ramBufferMb) {
        try {
            Files.createDirectories(path);
            Directory dir = FSDirectory.open(path);
            IndexMappingHolder holder = new IndexMappingHolder(mapping);
            IndexWriter writer = new IndexWriter(dir, config(holder, ramBufferMb).setOpenMode(IndexWriterConfig.OpenMode.CREATE));
            LuceneIndex index = new LuceneIndex(name, uuid, created, path, dir, writer, mapping, settings, aliases, -1, Map.of());
            holder.index = index;
            index.commit(Map.of());
            return index;
        } catch (IOException e) {
            throw new SearchException(ErrorCode.STORAGE_FAILURE, "exception", 500, "cannot create index [" + name + "] in " + path + ": " + e.getMessage(), e);
        }
    }

    /** Opens an index from its last commit; empty when the directory holds no complete index (a crash during creation). */
    static Optional<LuceneIndex> open(Path path, double ramBufferMb) {
        try {
            Directory dir = FSDirectory.open(path);
            if (!DirectoryReader.indexExists(dir)) {
                dir.close();
                return Optional.empty();
            }
            Map<String, String> data = SegmentInfos.readLatestCommit(dir).getUserData();
            if (!data.containsKey(NAME)) {
                dir.close();
                return Optional.empty();
            }
            IndexMapping mapping = IndexMapping.empty().merge(Json.mapper().readTree(data.get(MAPPING)));
            Map<String, String> flatSettings = new LinkedHashMap<>();
            Json.mapper().readTree(data.get(SETTINGS)).fields().forEachRemaining(e -> flatSettings.put(e.getKey(), e.getValue().asText()));
            Map<String, ObjectNode> aliases = new LinkedHashMap<>();
            Json.mapper().readTree(data.getOrDefault(ALIASES, "{}")).fields()
                    .forEachRemaining(e -> aliases.put(e.getKey(), (ObjectNode) e.getValue()));
            IndexMappingHolder holder = new IndexMappingHolder(mapping);
            IndexWriter writer = new IndexWriter(dir, config(holder, ramBufferMb).setOpenMode(IndexWriterConfig.OpenMode.APPEND));
            LuceneIndex index = new LuceneIndex(data.get(NAME), data.get(UUID), Long.parseLong(data.get(CREATED)), path, dir, writer,
                    mapping, IndexSettings.fromFlat(flatSettings), aliases, Long.parseLong(data.getOrDefault(MAX_SEQ_NO, "-1")), data);
            holder.index = index;
            return Optional.of(index);
        } catch (IOException e) {
            throw new SearchException(ErrorCode.STORAGE_FAILURE, "exception", 500, "cannot open the index in " + path
                    + ": " + e.getMessage() + "; move the directory away to start without it", e);
        }
    }

    /** Lets the writer's analyzer see mapping updates made after it was created. */
    private static final class IndexMappingHolder {
        private final IndexMapping initial;
        private volatile LuceneIndex index;

        IndexMappingHolder(IndexMapping initial) {
            this.initial = initial;
        }

        IndexMapping get() {
            LuceneIndex i = index;
            return i == null ? initial : i.mapping;
        }
    }

    private static IndexWriterConfig config(IndexMappingHolder holder, double ramBufferMb) {
        IndexWriterConfig config = new IndexWriterConfig(Analyzers.perField(holder::get));
        config.setRAMBufferSizeMB(ramBufferMb);
        config.setCommitOnClose(false);
        return config;
    }

    String name() {
        return name;
    }

    String uuid() {
        return uuid;
    }

    long created() {
        return created;
    }

    Path path() {
        return path;
    }

    IndexMapping mapping() {
        return mapping;
    }

    IndexSettings settings() {
        return settings;
    }

    Map<String, ObjectNode> aliases() {
        return aliases;
    }

    long refreshGeneration() {
        return refreshGeneration.get();
    }

    void updateMapping(JsonNode body) {
        synchronized (mappingLock) {
            mapping = mapping.merge(body, settings.totalFieldsLimit());
        }
        commit(Map.of());
    }

    void updateSettings(JsonNode body) {
        synchronized (mappingLock) {
            settings = settings.merge(body, true);
        }
        commit(Map.of());
    }

    void setAliases(Map<String, ObjectNode> newAliases) {
        synchronized (mappingLock) {
            aliases = Map.copyOf(newAliases);
        }
        commit(Map.of());
    }

    /** Parses a document, adding its dynamic fields to the mapping first. */
    private DocumentParser.Parsed parse(String id, ObjectNode source, byte[] bytes, long version, long seq) {
        IndexMapping current = mapping;
        DocumentParser.Parsed parsed = DocumentParser.parse(id, source, bytes, version, seq, current);
        if (!parsed.newFields().isEmpty()) {
            synchronized (mappingLock) {
                IndexMapping latest = mapping;
                if (latest != current) {
                    parsed = DocumentParser.parse(id, source, bytes, version, seq, latest);
                }
                mapping = latest.with(parsed.newFields(), settings.totalFieldsLimit());
            }
        }
        return parsed;
    }

    /**
     * Writes a document with version tracking: {@code INDEX} creates or replaces, {@code CREATE}
     * fails with a version conflict when the id exists; the options' condition is checked first.
     */
    BulkResult write(OpType op, String id, ObjectNode source, WriteOptions options) {
        synchronized (idLocks[Math.floorMod(id.hashCode(), idLocks.length)]) {
            Optional<VersionValue> previous = lookup(id);
            Optional<VersionValue> current = previous.filter(v -> !v.deleted());
            if (op == OpType.CREATE && current.isPresent()) {
                throw SearchException.versionConflict("[%s]: version conflict, document already exists (current version [%d])", id,
                        current.get().version());
            }
            options.check(id, previous.map(VersionValue::current));
            // Versions continue across a recent delete, as OpenSearch's tombstones make them.
            long version = options.nextVersion(previous.map(v -> java.util.OptionalLong.of(v.version())).orElse(java.util.OptionalLong.empty()));
            long seq = seqNo.getAndIncrement();
            byte[] bytes = bytes(source);
            DocumentParser.Parsed parsed = parse(id, source, bytes, version, seq);
            addDocument(id, parsed);
            currentVersions.put(id, new VersionValue(version, seq, false));
            tombstones.remove(id);
            return new BulkResult(op, name, id, current.isPresent() ? 200 : 201,
                    Optional.of(current.isPresent() ? "updated" : "created"), version, seq, Optional.empty());
        }
    }

    /**
     * Writes without version lookup (stream sinks, generated ids): version 1, replacing any
     * document with the id when {@code mayExist}, else appending.
     */
    BulkResult writeUnversioned(String id, ObjectNode source, byte[] bytes, boolean mayExist) {
        long seq = seqNo.getAndIncrement();
        DocumentParser.Parsed parsed = parse(id, source, bytes, 1, seq);
        if (mayExist) {
            addDocument(id, parsed);
        } else {
            try {
                writer.addDocument(parsed.document());
            } catch (IllegalArgumentException e) {
                throw SearchException.illegalArgument("%s", String.valueOf(e.getMessage()));
            } catch (IOException e) {
                throw storage("write to", e);
            }
        }
        return new BulkResult(OpType.INDEX, name, id, 201, Optional.of("created"), 1, seq, Optional.empty());
    }

    /** Partial update ({@code doc}, {@code doc_as_upsert}, {@code upsert}) of one document. */
    BulkResult update(String id, ObjectNode request, WriteOptions options) {
        for (String key : (Iterable<String>) request::fieldNames) {
            if (!List.of("doc", "doc_as_upsert", "upsert", "detect_noop", "_source").contains(key)) {
                throw SearchException.parsing("[UpdateRequest] unknown field [%s]%s", key,
                        key.equals("script") ? "; scripted updates are not supported by Tributary" : "");
            }
        }
        synchronized (idLocks[Math.floorMod(id.hashCode(), idLocks.length)]) {
            options.check(id, lookup(id).map(VersionValue::current));
            Optional<ObjectNode> existing = realtimeSource(id);
            ObjectNode merged;
            if (existing.isPresent()) {
                JsonNode doc = request.get("doc");
                if (doc == null || !doc.isObject()) {
                    throw SearchException.illegalArgument("[%s]: an update needs a [doc] object", id);
                }
                merged = existing.get().deepCopy();
                mergeInto(merged, (ObjectNode) doc);
                if (merged.equals(existing.get()) && request.path("detect_noop").asBoolean(true)) {
                    VersionValue v = lookup(id).orElseThrow();
                    return new BulkResult(OpType.UPDATE, name, id, 200, Optional.of("noop"), v.version(), v.seqNo(), Optional.empty(),
                            Optional.of(merged));
                }
            } else if (request.path("doc_as_upsert").asBoolean(false) && request.get("doc") instanceof ObjectNode doc) {
                merged = doc.deepCopy();
            } else if (request.get("upsert") instanceof ObjectNode upsert) {
                merged = upsert.deepCopy();
            } else {
                throw new SearchException(ErrorCode.NOT_FOUND, "document_missing_exception", 404, "[" + id + "]: document missing");
            }
            BulkResult r = write(OpType.INDEX, id, merged, WriteOptions.DEFAULT);
            return new BulkResult(OpType.UPDATE, name, id, r.status(), r.result(), r.version(), r.seqNo(), Optional.empty(), Optional.of(merged));
        }
    }

    private static void mergeInto(ObjectNode target, ObjectNode changes) {
        changes.fields().forEachRemaining(e -> {
            JsonNode old = target.get(e.getKey());
            if (old instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) {
                mergeInto(o, n);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        });
    }

    BulkResult delete(String id, WriteOptions options) {
        synchronized (idLocks[Math.floorMod(id.hashCode(), idLocks.length)]) {
            Optional<VersionValue> previous = lookup(id);
            Optional<VersionValue> current = previous.filter(v -> !v.deleted());
            options.check(id, previous.map(VersionValue::current));
            long seq = seqNo.getAndIncrement();
            long version = options.nextVersion(previous.map(v -> java.util.OptionalLong.of(v.version())).orElse(java.util.OptionalLong.empty()));
            try {
                writer.deleteDocuments(new Term(DocumentParser.ID, id));
            } catch (IOException e) {
                throw storage("delete from", e);
            }
            VersionValue deleted = new VersionValue(version, seq, true);
            currentVersions.put(id, deleted);
            tombstones.put(id, new Tombstone(deleted, System.nanoTime()));
            return new BulkResult(OpType.DELETE, name, id, current.isPresent() ? 200 : 404,
                    Optional.of(current.isPresent() ? "deleted" : "not_found"), version, seq, Optional.empty());
        }
    }

    private void addDocument(String id, DocumentParser.Parsed parsed) {
        try {
            writer.updateDocument(new Term(DocumentParser.ID, id), parsed.document());
        } catch (IllegalArgumentException e) {
            throw SearchException.illegalArgument("%s", String.valueOf(e.getMessage()));
        } catch (IOException e) {
            throw storage("write to", e);
        }
    }

    static byte[] bytes(ObjectNode source) {
        try {
            return Json.mapper().writeValueAsBytes(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<VersionValue> lookup(String id) {
        VersionValue v = currentVersions.get(id);
        if (v == null) {
            v = oldVersions.get(id);
        }
        if (v != null) {
            return Optional.of(v);
        }
        IndexSearcher searcher = acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                int doc = find(leaf.reader(), id);
                if (doc >= 0) {
                    NumericDocValues versions = leaf.reader().getNumericDocValues(DocumentParser.VERSION);
                    long version = versions != null && versions.advanceExact(doc) ? versions.longValue() : 1;
                    NumericDocValues seqNos = leaf.reader().getNumericDocValues(DocumentParser.SEQ_NO);
                    long seq = seqNos != null && seqNos.advanceExact(doc) ? seqNos.longValue() : 0;
                    return Optional.of(new VersionValue(version, seq, false));
                }
            }
            Tombstone t = tombstones.get(id);
            if (t != null && System.nanoTime() - t.atNanos() <= TOMBSTONE_NANOS) {
                return Optional.of(t.value());
            }
            return Optional.empty();
        } catch (IOException e) {
            throw storage("read", e);
        } finally {
            release(searcher);
        }
    }

    private static int find(LeafReader reader, String id) throws IOException {
        Terms terms = reader.terms(DocumentParser.ID);
        if (terms == null) {
            return -1;
        }
        TermsEnum te = terms.iterator();
        if (!te.seekExact(new BytesRef(id))) {
            return -1;
        }
        PostingsEnum postings = te.postings(null, PostingsEnum.NONE);
        Bits live = reader.getLiveDocs();
        for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
            if (live == null || live.get(doc)) {
                return doc;
            }
        }
        return -1;
    }

    /** A document as stored, refreshing first when it changed since the last refresh (realtime GET). */
    Optional<StoredDocument> get(String id) {
        if (currentVersions.containsKey(id) || oldVersions.containsKey(id)) {
            refresh();
        }
        IndexSearcher searcher = acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                int doc = find(leaf.reader(), id);
                if (doc >= 0) {
                    return Optional.of(StoredDocument.read(leaf.reader(), doc));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw storage("read", e);
        } finally {
            release(searcher);
        }
    }

    private Optional<ObjectNode> realtimeSource(String id) {
        return get(id).map(StoredDocument::source);
    }

    IndexSearcher acquire() {
        try {
            return searchers.acquire();
        } catch (IOException e) {
            throw storage("open a reader of", e);
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            throw SearchException.indexNotFound(name);
        }
    }

    void release(IndexSearcher searcher) {
        try {
            searchers.release(searcher);
        } catch (IOException e) {
            throw storage("release a reader of", e);
        }
    }

    /** Makes every write so far searchable. */
    void refresh() {
        try {
            searchers.maybeRefreshBlocking();
            lastRefreshNanos = System.nanoTime();
        } catch (IOException e) {
            throw storage("refresh", e);
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            // deleted meanwhile
        }
    }

    /** Refreshes when {@code refresh_interval} has passed since the last refresh. */
    void refreshIfDue(long nowNanos) {
        long interval = settings.refreshIntervalMillis();
        if (interval < 0 || nowNanos - lastRefreshNanos < interval * 1_000_000L) {
            return;
        }
        try {
            searchers.maybeRefresh();
            lastRefreshNanos = nowNanos;
        } catch (IOException e) {
            throw storage("refresh", e);
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            // deleted meanwhile
        }
    }

    /**
     * Commits everything written so far together with the mapping, settings, aliases and the given
     * extra user data (a sink's stream positions), durably.
     */
    synchronized void commit(Map<String, String> extra) {
        try {
            commitData.putAll(extra);
            commitData.put(NAME, name);
            commitData.put(UUID, uuid);
            commitData.put(CREATED, Long.toString(created));
            commitData.put(MAPPING, mapping.toJson().toString());
            commitData.put(SETTINGS, Json.mapper().valueToTree(settings.flat()).toString());
            commitData.put(ALIASES, Json.mapper().valueToTree(aliases).toString());
            commitData.put(MAX_SEQ_NO, Long.toString(seqNo.get() - 1));
            writer.setLiveCommitData(Map.copyOf(commitData).entrySet());
            writer.commit();
        } catch (IOException e) {
            throw storage("commit", e);
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            throw SearchException.indexNotFound(name);
        }
    }

    /** Entries the next commit stores, whoever triggers it. */
    synchronized void stage(Map<String, String> entries) {
        commitData.putAll(entries);
    }

    /** A value from the last commit's user data. */
    synchronized Optional<String> committed(String key) {
        return Optional.ofNullable(commitData.get(key));
    }

    synchronized Map<String, String> committedWithPrefix(String prefix) {
        Map<String, String> out = new HashMap<>();
        commitData.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    record Stats(long docs, long deleted, long sizeBytes) {}

    Stats stats() {
        IndexSearcher searcher = acquire();
        try {
            var reader = searcher.getIndexReader();
            return new Stats(reader.numDocs(), reader.numDeletedDocs(), sizeOnDisk());
        } finally {
            release(searcher);
        }
    }

    private long sizeOnDisk() {
        try (Stream<Path> files = Files.list(path)) {
            return files.mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private SearchException storage(String what, IOException e) {
        return new SearchException(ErrorCode.STORAGE_FAILURE, "exception", 500,
                "cannot " + what + " index [" + name + "] in " + path + ": " + e.getMessage(), e);
    }

    /** Closes without committing: what was not committed is replayed or lost as after a crash. */
    @Override
    public void close() {
        try {
            searchers.close();
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
        try {
            writer.rollback();
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
        try {
            directory.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    static void requireId(String id) {
        requireNonNull(id, "id is null");
        if (id.isEmpty() || id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 512) {
            throw SearchException.illegalArgument("id [%s] is too long or empty, must be 1 to 512 bytes", DateFormat.truncate(id));
        }
    }
}
