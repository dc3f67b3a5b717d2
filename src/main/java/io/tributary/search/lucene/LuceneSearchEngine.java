package io.tributary.search.lucene;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.search.BulkItem;
import io.tributary.search.BulkItem.OpType;
import io.tributary.search.BulkResult;
import io.tributary.search.FieldType;
import io.tributary.search.IndexInfo;
import io.tributary.search.Refresh;
import io.tributary.search.SearchConfig;
import io.tributary.search.SearchEngine;
import io.tributary.search.SearchException;
import io.tributary.search.SearchOptions;
import io.tributary.search.SinkDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded search engine: one {@link LuceneIndex} per index under
 * {@code <data-dir>/search/indexes/<uuid>}, aliases kept with their indexes, templates in
 * {@code templates.json}, and a background thread refreshing each index at its
 * {@code refresh_interval}. Index creation and deletion are serialised; document writes and
 * searches run concurrently.
 *
 * <p>Thread-safe.
 */
public final class LuceneSearchEngine implements SearchEngine {
    private static final Logger LOG = LoggerFactory.getLogger(LuceneSearchEngine.class);
    private static final String DELETED_MARKER = "DELETED";

    private final SearchConfig config;
    private final Clock clock;
    private final Path indexesDir;
    private final Map<String, LuceneIndex> indexes = new ConcurrentHashMap<>();
    private final IndexTemplates templates;
    private final ScheduledExecutorService refresher;
    private final SearchContexts contexts;
    private final Object catalogLock = new Object();

    public LuceneSearchEngine(SearchConfig config, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.indexesDir = config.directory().resolve("indexes");
        this.templates = new IndexTemplates(config.directory().resolve("templates.json"));
        this.contexts = new SearchContexts(clock);
        try {
            Files.createDirectories(indexesDir);
            try (Stream<Path> dirs = Files.list(indexesDir)) {
                for (Path dir : dirs.sorted().toList()) {
                    if (Files.exists(dir.resolve(DELETED_MARKER))) {
                        deleteTree(dir);
                        continue;
                    }
                    Optional<LuceneIndex> index = LuceneIndex.open(dir, ramBufferMb());
                    if (index.isEmpty()) {
                        LOG.warn("Removing {}: it holds no committed index (a crash while the index was created)", dir);
                        deleteTree(dir);
                        continue;
                    }
                    indexes.put(index.get().name(), index.get());
                }
            }
        } catch (IOException e) {
            indexes.values().forEach(LuceneIndex::close);
            throw new SearchException(ErrorCode.STORAGE_FAILURE, "exception", 500, "cannot open the search indexes in " + indexesDir + ": " + e.getMessage(), e);
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "search-refresh");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refreshDue, 50, 50, TimeUnit.MILLISECONDS);
        LOG.info("Search engine opened {} index(es) in {}", indexes.size(), config.directory());
    }

    private double ramBufferMb() {
        return config.ramBuffer().bytes() / (1024.0 * 1024.0);
    }

    private void refreshDue() {
        try {
            contexts.expire();
        } catch (RuntimeException e) {
            LOG.warn("Expiring search contexts failed", e);
        }
        long now = System.nanoTime();
        for (LuceneIndex index : indexes.values()) {
            try {
                index.refreshIfDue(now);
            } catch (RuntimeException e) {
                LOG.warn("Refreshing index {} failed", index.name(), e);
            }
        }
    }

    // ---- names and resolution ----

    static String validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw invalidName(String.valueOf(name), "must not be empty");
        }
        if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
            throw invalidName(name, "must be lowercase");
        }
        if (name.startsWith("_") || name.startsWith("-") || name.startsWith("+")) {
            throw invalidName(name, "must not start with '_', '-', or '+'");
        }
        if (name.equals(".") || name.equals("..")) {
            throw invalidName(name, "must not be '.' or '..'");
        }
        for (char c : name.toCharArray()) {
            if ("\\/*?\"<>| ,#:".indexOf(c) >= 0 || Character.isISOControl(c)) {
                throw invalidName(name, "must not contain the following characters [ , \", *, \\, <, |, ,, >, /, ?, #, :]");
            }
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw invalidName(name, "index name is too long, (" + name.length() + " > 255)");
        }
        return name;
    }

    private static SearchException invalidName(String name, String why) {
        return new SearchException(ErrorCode.INVALID_ARGUMENT, "invalid_index_name_exception", 400,
                "Invalid index name [" + DateFormat.truncate(name) + "], " + why);
    }

    private Map<String, List<String>> aliasIndex() {
        Map<String, List<String>> out = new TreeMap<>();
        for (LuceneIndex index : indexes.values()) {
            for (String alias : index.aliases().keySet()) {
                out.computeIfAbsent(alias, a -> new ArrayList<>()).add(index.name());
            }
        }
        return out;
    }

    List<LuceneIndex> resolveIndexes(String expression) {
        List<LuceneIndex> out = new ArrayList<>();
        for (String name : resolve(expression)) {
            LuceneIndex index = indexes.get(name);
            if (index != null) {
                out.add(index);
            }
        }
        return out;
    }

    @Override
    public List<String> resolve(String expression) {
        return expand(expression).keySet().stream().sorted().toList();
    }

    /** The indexes an expression reaches for a search or count, sorted by name, with the alias filters that apply to each. */
    List<SearchTarget> resolveTargets(String expression) {
        List<SearchTarget> out = new ArrayList<>();
        new TreeMap<>(expand(expression)).forEach((name, reaches) -> {
            LuceneIndex index = indexes.get(name);
            if (index == null) {
                return;
            }
            // One unfiltered way in (the index itself, _all, an alias without a filter) means every document.
            boolean unfiltered = reaches.stream().anyMatch(Optional::isEmpty);
            out.add(new SearchTarget(index, unfiltered ? List.of() : reaches.stream().map(Optional::get).toList()));
        });
        return out;
    }

    /**
     * Expands an index expression to index names, each with how the expression reached it: empty
     * for directly (by name, pattern or {@code _all}) or through an alias without a filter, else the
     * alias's filter.
     */
    private Map<String, List<Optional<JsonNode>>> expand(String expression) {
        String expr = expression == null || expression.isBlank() ? "_all" : expression;
        Map<String, List<Optional<JsonNode>>> result = new LinkedHashMap<>();
        Map<String, List<String>> aliases = aliasIndex();
        for (String raw : expr.split(",")) {
            String part = raw.trim();
            if (part.isEmpty()) {
                continue;
            }
            boolean exclude = part.startsWith("-") && !result.isEmpty();
            String pattern = exclude ? part.substring(1) : part;
            Map<String, List<Optional<JsonNode>>> matched = new LinkedHashMap<>();
            if (pattern.equals("_all") || pattern.equals("*")) {
                indexes.keySet().forEach(n -> reach(matched, n, Optional.empty()));
            } else if (pattern.contains("*") || pattern.contains("?")) {
                indexes.keySet().stream().filter(n -> Wildcards.matches(pattern, n)).forEach(n -> reach(matched, n, Optional.empty()));
                aliases.forEach((alias, members) -> {
                    if (Wildcards.matches(pattern, alias)) {
                        members.forEach(m -> reach(matched, m, aliasFilter(m, alias)));
                    }
                });
            } else if (indexes.containsKey(pattern)) {
                reach(matched, pattern, Optional.empty());
            } else if (aliases.containsKey(pattern)) {
                aliases.get(pattern).forEach(m -> reach(matched, m, aliasFilter(m, pattern)));
            } else if (!exclude) {
                throw SearchException.indexNotFound(pattern);
            }
            if (exclude) {
                matched.keySet().forEach(result::remove);
            } else {
                matched.forEach((name, reaches) -> result.computeIfAbsent(name, n -> new ArrayList<>()).addAll(reaches));
            }
        }
        return result;
    }

    private static void reach(Map<String, List<Optional<JsonNode>>> matched, String index, Optional<JsonNode> filter) {
        matched.computeIfAbsent(index, n -> new ArrayList<>()).add(filter);
    }

    private Optional<JsonNode> aliasFilter(String index, String alias) {
        LuceneIndex i = indexes.get(index);
        ObjectNode def = i == null ? null : i.aliases().get(alias);
        return def == null ? Optional.empty() : Optional.ofNullable(def.get("filter"));
    }

    @Override
    public boolean exists(String name) {
        return indexes.containsKey(name) || aliasIndex().containsKey(name);
    }

    @Override
    public Optional<String> writeIndex(String name) {
        if (indexes.containsKey(name)) {
            return Optional.of(name);
        }
        List<String> members = aliasIndex().get(name);
        if (members == null) {
            return Optional.empty();
        }
        if (members.size() == 1) {
            return Optional.of(members.get(0));
        }
        for (String member : members) {
            ObjectNode def = indexes.get(member).aliases().get(name);
            if (def != null && def.path("is_write_index").asBoolean(false)) {
                return Optional.of(member);
            }
        }
        throw SearchException.illegalArgument(
                "no write index is defined for alias [%s]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index",
                name);
    }

    private LuceneIndex requireIndex(String name) {
        LuceneIndex index = indexes.get(name);
        if (index == null) {
            throw SearchException.indexNotFound(name);
        }
        return index;
    }

    // ---- index management ----

    @Override
    public ObjectNode createIndex(String name, JsonNode body) {
        create(name, body == null ? Json.mapper().createObjectNode() : body);
        return Json.mapper().createObjectNode().put("acknowledged", true).put("shards_acknowledged", true).put("index", name);
    }

    private LuceneIndex create(String name, JsonNode body) {
        validateName(name);
        if (!body.isObject()) {
            throw SearchException.parsing("the create index request must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!Set.of("settings", "mappings", "aliases").contains(key)) {
                throw SearchException.parsing("unknown key [%s] for create index", key);
            }
        }
        synchronized (catalogLock) {
            if (indexes.containsKey(name)) {
                throw SearchException.alreadyExists(name);
            }
            if (aliasIndex().containsKey(name)) {
                throw new SearchException(ErrorCode.ALREADY_EXISTS, "invalid_index_name_exception", 400,
                        "Invalid index name [" + name + "], an alias with the same name already exists");
            }
            Optional<JsonNode> template = templates.match(name);
            IndexSettings settings = IndexSettings.defaults();
            IndexMapping mapping = IndexMapping.empty();
            Map<String, ObjectNode> aliases = new LinkedHashMap<>();
            if (template.isPresent()) {
                settings = settings.merge(template.get().get("settings"), false);
                mapping = mapping.merge(template.get().get("mappings"), IndexMapping.TOTAL_FIELDS_LIMIT);
            }
            settings = settings.merge(body.get("settings"), false);
            mapping = mapping.merge(body.get("mappings"), settings.totalFieldsLimit());
            if (template.isPresent()) {
                addAliases(aliases, template.get().get("aliases"), name, mapping);
            }
            addAliases(aliases, body.get("aliases"), name, mapping);
            String uuid = newUuid();
            LuceneIndex index = LuceneIndex.create(indexesDir.resolve(uuid), name, uuid, clock.millis(), mapping, settings, aliases, ramBufferMb());
            indexes.put(name, index);
            LOG.info("Created index [{}] ({})", name, uuid);
            return index;
        }
    }

    private void addAliases(Map<String, ObjectNode> aliases, JsonNode node, String index, IndexMapping mapping) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw SearchException.parsing("[aliases] must be an object of alias names");
        }
        node.fields().forEachRemaining(e -> {
            validateAliasName(e.getKey(), index);
            aliases.put(e.getKey(), aliasDefinition(e.getKey(), e.getValue(), mapping));
        });
    }

    private void validateAliasName(String alias, String index) {
        validateName(alias);
        if (alias.equals(index) || indexes.containsKey(alias)) {
            throw new SearchException(ErrorCode.INVALID_ARGUMENT, "invalid_alias_name_exception", 400,
                    "Invalid alias name [" + alias + "]: an index or data stream exists with the same name as the alias");
        }
    }

    /**
     * An alias definition as stored: {@code filter} (a query, checked against the index's mapping
     * so a typo fails now rather than at every search) and {@code is_write_index}.
     */
    static ObjectNode aliasDefinition(String alias, JsonNode def, IndexMapping mapping) {
        ObjectNode out = Json.mapper().createObjectNode();
        if (def == null || def.isNull()) {
            return out;
        }
        if (!def.isObject()) {
            throw SearchException.parsing("[alias] the definition of alias [%s] must be an object", alias);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = def.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "filter" -> {
                    try {
                        new QueryDsl(mapping, 0).parse(e.getValue());
                    } catch (SearchException ex) {
                        throw SearchException.illegalArgument("failed to parse filter for alias [%s]: %s", alias, ex.getMessage());
                    }
                    out.set("filter", e.getValue().deepCopy());
                }
                case "is_write_index" -> {
                    if (!e.getValue().isBoolean()) {
                        throw SearchException.parsing("[alias] [is_write_index] of alias [%s] must be true or false", alias);
                    }
                    out.put("is_write_index", e.getValue().asBoolean());
                }
                case "routing", "index_routing", "search_routing" -> throw SearchException.illegalArgument(
                        "[%s] on alias [%s] is not supported by Tributary: an index is a single shard, so routing would select nothing; "
                                + "give the alias a [filter] to restrict it to a slice of the index", e.getKey(), alias);
                default -> throw SearchException.parsing("[alias] unknown field [%s] on alias [%s]; Tributary supports filter and is_write_index",
                        e.getKey(), alias);
            }
        }
        return out;
    }

    private static String newUuid() {
        java.util.UUID u = java.util.UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    @Override
    public ObjectNode deleteIndex(String expression) {
        List<String> names;
        synchronized (catalogLock) {
            names = new ArrayList<>();
            for (String part : expression.split(",")) {
                if (!part.contains("*") && !indexes.containsKey(part.trim()) && aliasIndex().containsKey(part.trim())) {
                    throw SearchException.illegalArgument("The provided expression [%s] matches an alias, specify the corresponding concrete indices instead.", part);
                }
            }
            names.addAll(resolve(expression));
            for (String name : names) {
                LuceneIndex index = indexes.remove(name);
                if (index == null) {
                    continue;
                }
                index.close();
                try {
                    Files.writeString(index.path().resolve(DELETED_MARKER), name);
                    deleteTree(index.path());
                } catch (IOException e) {
                    throw new SearchException(ErrorCode.STORAGE_FAILURE, "exception", 500, "cannot delete the files of index [" + name + "] in "
                            + index.path() + ": " + e.getMessage() + "; they are removed at the next start", e);
                }
                LOG.info("Deleted index [{}]", name);
            }
        }
        return Json.mapper().createObjectNode().put("acknowledged", true);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public ObjectNode getIndex(String expression) {
        ObjectNode out = Json.mapper().createObjectNode();
        for (LuceneIndex index : resolveIndexes(expression)) {
            ObjectNode entry = out.putObject(index.name());
            entry.set("aliases", Json.mapper().valueToTree(index.aliases()));
            entry.set("mappings", index.mapping().toJson());
            entry.set("settings", settingsJson(index));
        }
        return out;
    }

    private static ObjectNode settingsJson(LuceneIndex index) {
        return index.settings().toJson(Map.of("index.uuid", index.uuid(), "index.creation_date", Long.toString(index.created()),
                "index.provided_name", index.name(), "index.version.created", "137217827"));
    }

    @Override
    public ObjectNode getMapping(String expression) {
        ObjectNode out = Json.mapper().createObjectNode();
        for (LuceneIndex index : resolveIndexes(expression)) {
            out.putObject(index.name()).set("mappings", index.mapping().toJson());
        }
        return out;
    }

    @Override
    public ObjectNode putMapping(String expression, JsonNode body) {
        List<LuceneIndex> targets = resolveIndexes(expression);
        for (LuceneIndex index : targets) {
            index.mapping().merge(body, index.settings().totalFieldsLimit());
        }
        for (LuceneIndex index : targets) {
            index.updateMapping(body);
        }
        return Json.mapper().createObjectNode().put("acknowledged", true);
    }

    @Override
    public ObjectNode getSettings(String expression) {
        ObjectNode out = Json.mapper().createObjectNode();
        for (LuceneIndex index : resolveIndexes(expression)) {
            out.putObject(index.name()).set("settings", settingsJson(index));
        }
        return out;
    }

    @Override
    public ObjectNode putSettings(String expression, JsonNode body) {
        List<LuceneIndex> targets = resolveIndexes(expression);
        for (LuceneIndex index : targets) {
            index.settings().merge(body, true);
        }
        for (LuceneIndex index : targets) {
            index.updateSettings(body);
        }
        return Json.mapper().createObjectNode().put("acknowledged", true);
    }

    // ---- documents ----

    private LuceneIndex writeTarget(String name) {
        Optional<String> target = writeIndex(name);
        if (target.isPresent()) {
            LuceneIndex index = indexes.get(target.get());
            if (index != null) {
                return index;
            }
        }
        synchronized (catalogLock) {
            LuceneIndex index = indexes.get(name);
            return index != null ? index : create(name, Json.mapper().createObjectNode());
        }
    }

    @Override
    public List<BulkResult> bulk(List<BulkItem> items, Refresh refresh) {
        List<BulkResult> results = new ArrayList<>(items.size());
        Set<LuceneIndex> touched = new LinkedHashSet<>();
        for (BulkItem item : items) {
            String id = item.id().orElse("");
            if (item.error().isPresent()) {
                results.add(BulkResult.failure(item.opType(), item.index(), id, item.error().get()));
                continue;
            }
            try {
                if (item.options().requireAlias() && !aliasIndex().containsKey(item.index())) {
                    throw new SearchException(ErrorCode.NOT_FOUND, "index_not_found_exception", 404,
                            "no such index [" + item.index() + "] and [require_alias] request flag is [true] and [" + item.index()
                                    + "] is not an alias");
                }
                if (item.opType() == OpType.DELETE && writeIndex(item.index()).isEmpty()) {
                    // Deleting from an index that does not exist must not create it.
                    throw SearchException.indexNotFound(item.index());
                }
                LuceneIndex index = writeTarget(item.index());
                touched.add(index);
                results.add(execute(index, item));
            } catch (SearchException e) {
                results.add(BulkResult.failure(item.opType(), item.index(), id, e));
            } catch (RuntimeException e) {
                LOG.error("Bulk item on [{}] failed unexpectedly", item.index(), e);
                results.add(BulkResult.failure(item.opType(), item.index(), id, new SearchException(ErrorCode.INTERNAL, "exception", 500,
                        "internal error (" + e.getClass().getSimpleName() + "); details are in the server log")));
            }
        }
        for (LuceneIndex index : touched) {
            index.commit(Map.of());
            if (refresh != Refresh.NONE) {
                index.refresh();
            }
        }
        return results;
    }

    private static BulkResult execute(LuceneIndex index, BulkItem item) {
        return switch (item.opType()) {
            case INDEX -> {
                ObjectNode doc = item.body().orElseThrow();
                if (item.id().isPresent()) {
                    LuceneIndex.requireId(item.id().get());
                    yield index.write(OpType.INDEX, item.id().get(), doc, item.options());
                }
                if (item.options().ifSeqNo().isPresent() || item.options().version().isPresent()) {
                    throw SearchException.illegalArgument("an id must be provided if version type or value are set");
                }
                yield index.writeUnversioned(newUuid().substring(0, 20), doc, LuceneIndex.bytes(doc), false);
            }
            case CREATE -> {
                String id = item.id().orElseGet(() -> newUuid().substring(0, 20));
                LuceneIndex.requireId(id);
                yield index.write(OpType.CREATE, id, item.body().orElseThrow(), item.options());
            }
            case UPDATE -> {
                String id = item.id().orElseThrow(() -> SearchException.illegalArgument("an update needs an id"));
                yield index.update(id, item.body().orElseThrow(), item.options());
            }
            case DELETE -> {
                String id = item.id().orElseThrow(() -> SearchException.illegalArgument("a delete needs an id"));
                yield index.delete(id, item.options());
            }
        };
    }

    @Override
    public Optional<ObjectNode> filterSource(ObjectNode source, JsonNode filter) {
        return SourceFilter.parse(filter).apply(source);
    }

    @Override
    public Optional<ObjectNode> getDocument(String name, String id, Optional<JsonNode> source) {
        SourceFilter filter = SourceFilter.parse(source.orElse(null));
        LuceneIndex index = indexes.get(writeIndex(name).orElseThrow(() -> SearchException.indexNotFound(name)));
        if (index == null) {
            throw SearchException.indexNotFound(name);
        }
        return index.get(id).map(doc -> {
            ObjectNode out = Json.mapper().createObjectNode();
            out.put("_index", index.name()).put("_id", doc.id()).put("_version", doc.version()).put("_seq_no", doc.seqNo())
                    .put("_primary_term", 1);
            doc.writeIgnored(out);
            out.put("found", true);
            filter.apply(doc.source()).ifPresent(s -> out.set("_source", s));
            return out;
        });
    }

    @Override
    public List<BulkResult> indexDocuments(String name, List<SinkDocument> documents) {
        LuceneIndex index = writeTarget(name);
        List<BulkResult> results = new ArrayList<>(documents.size());
        for (SinkDocument doc : documents) {
            try {
                results.add(index.writeUnversioned(doc.id(), doc.source(), doc.sourceBytes(), doc.mayExist()));
            } catch (SearchException e) {
                results.add(BulkResult.failure(OpType.INDEX, index.name(), doc.id(), e));
            }
        }
        return results;
    }

    @Override
    public void stageCheckpoint(String name, Map<String, String> checkpoint) {
        writeTarget(name).stage(checkpoint);
    }

    @Override
    public void commit(String name, Map<String, String> checkpoint) {
        requireIndex(name).commit(checkpoint);
    }

    @Override
    public Map<String, String> checkpoint(String name, String prefix) {
        LuceneIndex index = indexes.get(name);
        return index == null ? Map.of() : index.committedWithPrefix(prefix);
    }

    // ---- search ----

    @Override
    public ObjectNode search(String expression, JsonNode body, SearchOptions options) {
        SearchExecution.Options o = new SearchExecution.Options(options.typedKeys(), options.totalAsInt(), clock.millis());
        if (body != null && body.has("pit")) {
            return searchPit(body, options, o);
        }
        if (options.scroll().isEmpty()) {
            return SearchExecution.search(resolveTargets(expression), body, o);
        }
        Snapshot snapshot = Snapshot.acquire(resolveTargets(expression));
        boolean kept = false;
        try {
            SearchExecution.Outcome first = SearchExecution.run(snapshot, body, o, true);
            SearchContexts.Scroll scroll = contexts.openScroll(options.owner(), snapshot, first.plan(), first.request(), first.size(), first.total(),
                    first.last().orElse(null), options.scroll().get());
            kept = true;
            ObjectNode response = Json.mapper().createObjectNode().put("_scroll_id", scroll.id);
            response.setAll(first.response());
            return response;
        } finally {
            if (!kept) {
                snapshot.release();
            }
        }
    }

    /** A search of a point in time's readers; {@code _shard_doc} sorts by document, stable within the point in time. */
    private ObjectNode searchPit(JsonNode body, SearchOptions options, SearchExecution.Options o) {
        if (options.scroll().isPresent()) {
            throw SearchException.illegalArgument("[scroll] cannot be used with point in time");
        }
        JsonNode pit = body.get("pit");
        if (!pit.isObject() || !pit.has("id")) {
            throw SearchException.parsing("[pit] must be an object with an [id] and an optional [keep_alive]");
        }
        for (String key : (Iterable<String>) pit::fieldNames) {
            if (!key.equals("id") && !key.equals("keep_alive")) {
                throw SearchException.parsing("[pit] unknown field [%s]", key);
            }
        }
        Optional<java.time.Duration> keepAlive = Optional.ofNullable(pit.get("keep_alive"))
                .map(k -> SearchContexts.keepAlive(k.asText(), "keep_alive"));
        SearchContexts.Pit p = contexts.pit(pit.get("id").asText(), options.owner(), keepAlive);
        ObjectNode request = ((ObjectNode) body).deepCopy();
        request.remove("pit");
        JsonNode sort = request.get("sort");
        if (sort != null) {
            request.set("sort", shardDocAsDoc(sort));
        }
        ObjectNode response = Json.mapper().createObjectNode().put("pit_id", p.id());
        response.setAll(SearchExecution.search(p.snapshot(), request, o));
        return response;
    }

    /** {@code _shard_doc}, the point-in-time tie-breaker, is the document order of the point in time's readers. */
    private static JsonNode shardDocAsDoc(JsonNode sort) {
        if (sort.isArray()) {
            ArrayNode out = Json.mapper().createArrayNode();
            sort.forEach(c -> out.add(shardDocAsDoc(c)));
            return out;
        }
        if (sort.isTextual() && sort.asText().startsWith("_shard_doc")) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf("_doc" + sort.asText().substring("_shard_doc".length()));
        }
        if (sort.isObject() && sort.has("_shard_doc")) {
            ObjectNode out = Json.mapper().createObjectNode();
            out.set("_doc", sort.get("_shard_doc"));
            return out;
        }
        return sort;
    }

    @Override
    public ObjectNode scroll(String scrollId, Optional<java.time.Duration> keepAlive, SearchOptions options) {
        return SearchExecution.nextPage(contexts.scroll(scrollId, options.owner(), keepAlive));
    }

    @Override
    public ObjectNode clearScroll(List<String> scrollIds, String owner) {
        int freed = contexts.clearScrolls(scrollIds, owner);
        return Json.mapper().createObjectNode().put("succeeded", true).put("num_freed", freed);
    }

    @Override
    public ObjectNode createPit(String expression, java.time.Duration keepAlive, String owner) {
        List<SearchTarget> targets = resolveTargets(expression);
        Snapshot snapshot = Snapshot.acquire(targets);
        try {
            SearchContexts.Pit p = contexts.openPit(owner, snapshot, keepAlive);
            ObjectNode out = Json.mapper().createObjectNode().put("pit_id", p.id());
            out.putObject("_shards").put("total", targets.size()).put("successful", targets.size()).put("skipped", 0).put("failed", 0);
            out.put("creation_time", p.createdAt());
            return out;
        } catch (RuntimeException e) {
            snapshot.release();
            throw e;
        }
    }

    @Override
    public ObjectNode deletePits(List<String> pitIds, String owner) {
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode list = out.putArray("pits");
        List<String> deleted = contexts.deletePits(pitIds, owner);
        for (String id : pitIds.contains("_all") ? deleted : pitIds) {
            list.addObject().put("successful", deleted.contains(id)).put("pit_id", id);
        }
        return out;
    }

    @Override
    public ObjectNode listPits(String owner) {
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode list = out.putArray("pits");
        for (SearchContexts.Pit p : contexts.pits(owner)) {
            list.addObject().put("pit_id", p.id()).put("creation_time", p.createdAt()).put("keep_alive", p.keepAliveMillis());
        }
        return out;
    }

    @Override
    public ObjectNode count(String expression, JsonNode body) {
        return SearchExecution.count(resolveTargets(expression), body, clock.millis());
    }

    @Override
    public ObjectNode refresh(String expression) {
        List<LuceneIndex> targets = resolveIndexes(expression);
        targets.forEach(LuceneIndex::refresh);
        ObjectNode out = Json.mapper().createObjectNode();
        out.putObject("_shards").put("total", targets.size()).put("successful", targets.size()).put("failed", 0);
        return out;
    }

    @Override
    public ObjectNode fieldCaps(String expression, List<String> fields) {
        List<LuceneIndex> targets = resolveIndexes(expression);
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode names = out.putArray("indices");
        Map<String, Map<String, List<String>>> byField = new TreeMap<>();
        Map<String, IndexMapping.Field> definitions = new HashMap<>();
        for (LuceneIndex index : targets) {
            names.add(index.name());
            for (IndexMapping.Field f : index.mapping().fields().values()) {
                if (fields.stream().anyMatch(p -> Wildcards.matches(p, f.path()))) {
                    byField.computeIfAbsent(f.path(), k -> new TreeMap<>()).computeIfAbsent(f.type().jsonName(), k -> new ArrayList<>())
                            .add(index.name());
                    definitions.putIfAbsent(f.path() + "/" + f.type().jsonName(), f);
                }
            }
        }
        ObjectNode fieldsNode = out.putObject("fields");
        byField.forEach((path, types) -> {
            ObjectNode entry = fieldsNode.putObject(path);
            types.forEach((type, in) -> {
                IndexMapping.Field f = definitions.get(path + "/" + type);
                ObjectNode caps = entry.putObject(type);
                caps.put("type", type);
                caps.put("searchable", f.type() != FieldType.OBJECT && f.indexed());
                caps.put("aggregatable", f.aggregatable());
                if (types.size() > 1) {
                    ArrayNode list = caps.putArray("indices");
                    in.forEach(list::add);
                }
            });
        });
        return out;
    }

    @Override
    public List<IndexInfo> indices(String expression) {
        List<IndexInfo> out = new ArrayList<>();
        for (LuceneIndex index : resolveIndexes(expression)) {
            LuceneIndex.Stats s = index.stats();
            out.add(new IndexInfo(index.name(), index.uuid(), s.docs(), s.deleted(), s.sizeBytes(), index.created()));
        }
        return out;
    }

    @Override
    public ObjectNode health(String expression) {
        int shards = resolveIndexes(expression).size();
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("cluster_name", "tributary").put("status", "green").put("timed_out", false).put("number_of_nodes", 1)
                .put("number_of_data_nodes", 1).put("discovered_master", true).put("discovered_cluster_manager", true)
                .put("active_primary_shards", shards).put("active_shards", shards).put("relocating_shards", 0)
                .put("initializing_shards", 0).put("unassigned_shards", 0).put("delayed_unassigned_shards", 0)
                .put("number_of_pending_tasks", 0).put("number_of_in_flight_fetch", 0).put("task_max_waiting_in_queue_millis", 0)
                .put("active_shards_percent_as_number", 100.0);
        return out;
    }

    // ---- aliases and templates ----

    @Override
    public ObjectNode updateAliases(JsonNode body) {
        JsonNode actions = body == null ? null : body.get("actions");
        if (actions == null || !actions.isArray()) {
            throw SearchException.parsing("[aliases] requires an [actions] array");
        }
        synchronized (catalogLock) {
            Map<String, Map<String, ObjectNode>> changed = new LinkedHashMap<>();
            for (JsonNode action : actions) {
                if (!action.isObject() || action.size() != 1) {
                    throw SearchException.parsing("each alias action must be an object with one of add, remove, remove_index");
                }
                Map.Entry<String, JsonNode> a = action.fields().next();
                JsonNode p = a.getValue();
                List<String> targets = new ArrayList<>();
                if (p.has("index")) {
                    targets.addAll(resolve(p.get("index").asText()));
                }
                if (p.has("indices")) {
                    p.get("indices").forEach(i -> targets.addAll(resolve(i.asText())));
                }
                if (targets.isEmpty()) {
                    throw SearchException.illegalArgument("[%s] action requires an existing [index] or [indices]", a.getKey());
                }
                List<String> aliasNames = new ArrayList<>();
                if (p.has("alias")) {
                    aliasNames.add(p.get("alias").asText());
                }
                if (p.has("aliases")) {
                    p.get("aliases").forEach(n -> aliasNames.add(n.asText()));
                }
                for (String target : targets) {
                    Map<String, ObjectNode> current = changed.computeIfAbsent(target, t -> new LinkedHashMap<>(requireIndex(t).aliases()));
                    switch (a.getKey()) {
                        case "add" -> {
                            ObjectNode def = Json.mapper().createObjectNode();
                            p.fields().forEachRemaining(f -> {
                                if (!Set.of("index", "indices", "alias", "aliases").contains(f.getKey())) {
                                    def.set(f.getKey(), f.getValue());
                                }
                            });
                            for (String alias : aliasNames) {
                                validateAliasName(alias, target);
                                current.put(alias, aliasDefinition(alias, def, requireIndex(target).mapping()));
                            }
                        }
                        case "remove" -> {
                            for (String key : (Iterable<String>) p::fieldNames) {
                                if (!Set.of("index", "indices", "alias", "aliases", "must_exist").contains(key)) {
                                    throw SearchException.parsing("[remove] unknown field [%s]", key);
                                }
                            }
                            boolean mustExist = p.path("must_exist").asBoolean(true);
                            for (String alias : aliasNames) {
                                boolean removed = current.keySet().removeIf(n -> Wildcards.matches(alias, n));
                                if (!removed && !alias.contains("*") && mustExist) {
                                    throw new SearchException(ErrorCode.NOT_FOUND, "aliases_not_found_exception", 404, "aliases [" + alias + "] missing");
                                }
                            }
                        }
                        default -> throw SearchException.parsing("[aliases] unknown action [%s]; Tributary supports add and remove", a.getKey());
                    }
                }
            }
            changed.forEach((name, aliases) -> requireIndex(name).setAliases(aliases));
        }
        return Json.mapper().createObjectNode().put("acknowledged", true);
    }

    @Override
    public ObjectNode getAliases(String expression, String aliasPattern) {
        ObjectNode out = Json.mapper().createObjectNode();
        boolean any = false;
        for (LuceneIndex index : resolveIndexes(expression)) {
            ObjectNode aliases = Json.mapper().createObjectNode();
            index.aliases().forEach((name, def) -> {
                if (Wildcards.matches(aliasPattern, name)) {
                    aliases.set(name, def);
                }
            });
            if (!aliases.isEmpty() || aliasPattern.equals("*")) {
                out.putObject(index.name()).set("aliases", aliases);
                any |= !aliases.isEmpty();
            }
        }
        if (!any && !aliasPattern.contains("*")) {
            throw new SearchException(ErrorCode.NOT_FOUND, "aliases_not_found_exception", 404, "alias [" + aliasPattern + "] missing");
        }
        return out;
    }

    @Override
    public ObjectNode resolveIndex(String expression, boolean expandWildcards) {
        Map<String, List<String>> aliases = aliasIndex();
        Set<String> indexNames = new TreeSet<>();
        Set<String> aliasNames = new TreeSet<>();
        for (String raw : expression.split(",")) {
            String part = raw.trim();
            boolean exclude = part.startsWith("-");
            String pattern = exclude ? part.substring(1) : part;
            boolean wildcard = pattern.equals("_all") || pattern.contains("*") || pattern.contains("?");
            if (pattern.isEmpty() || wildcard && !expandWildcards) {
                continue;
            }
            String glob = pattern.equals("_all") ? "*" : pattern;
            List<String> i = indexes.keySet().stream().filter(n -> Wildcards.matches(glob, n)).toList();
            List<String> a = aliases.keySet().stream().filter(n -> Wildcards.matches(glob, n)).toList();
            if (exclude) {
                i.forEach(indexNames::remove);
                a.forEach(aliasNames::remove);
            } else {
                indexNames.addAll(i);
                aliasNames.addAll(a);
            }
        }
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode indexList = out.putArray("indices");
        for (String name : indexNames) {
            ObjectNode entry = indexList.addObject().put("name", name);
            LuceneIndex index = indexes.get(name);
            if (index != null && !index.aliases().isEmpty()) {
                new TreeSet<>(index.aliases().keySet()).forEach(entry.putArray("aliases")::add);
            }
            entry.putArray("attributes").add("open");
        }
        ArrayNode aliasList = out.putArray("aliases");
        for (String name : aliasNames) {
            ObjectNode entry = aliasList.addObject().put("name", name);
            new TreeSet<>(aliases.get(name)).forEach(entry.putArray("indices")::add);
        }
        out.putArray("data_streams");
        return out;
    }

    @Override
    public ObjectNode putTemplate(String name, JsonNode body) {
        return templates.put(name, body);
    }

    @Override
    public ObjectNode getTemplates(String namePattern) {
        return templates.get(namePattern);
    }

    @Override
    public ObjectNode deleteTemplate(String name) {
        return templates.delete(name);
    }

    /** Closes every index without committing; everything acknowledged was committed already. */
    @Override
    public void close() {
        // Not shutdownNow: interrupting a refresh inside Lucene's file I/O would close the index's files under it.
        refresher.shutdown();
        try {
            refresher.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        contexts.closeAll();
        indexes.values().forEach(LuceneIndex::close);
        indexes.clear();
    }
}
