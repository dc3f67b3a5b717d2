package io.tributary.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an NDJSON {@code _bulk} body: action lines ({@code index}, {@code create}, {@code update},
 * {@code delete}) each followed by a source line except delete. Unlike OpenSearch, which refuses
 * the whole request at the first unreadable line, a bad line becomes a failed item naming its line
 * number and the rest of the request goes ahead; a bad action line takes the following line with
 * it unless that line is itself an action, so the pairs stay aligned.
 */
public final class BulkRequestParser {
    private static final Set<String> ACTION_FIELDS = Set.of("_index", "_id", "routing", "_routing", "version", "version_type",
            "if_seq_no", "if_primary_term", "retry_on_conflict", "pipeline", "require_alias", "_source", "op_type", "dynamic_templates");

    private BulkRequestParser() {}

    public static List<BulkItem> parse(byte[] body, Optional<String> defaultIndex) {
        List<String> lines = new ArrayList<>();
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        List<BulkItem> items = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            int lineNumber = i + 1;
            i++;
            if (line.isBlank()) {
                continue;
            }
            Action action;
            try {
                action = action(line, lineNumber, defaultIndex);
            } catch (SearchException e) {
                if (i < lines.size() && !lines.get(i).isBlank() && !isAction(lines.get(i))) {
                    i++;
                }
                items.add(BulkItem.failed(BulkItem.OpType.INDEX, defaultIndex.orElse(""), Optional.empty(), e, lineNumber));
                continue;
            }
            if (action.error().isPresent()) {
                if (action.op() != BulkItem.OpType.DELETE && i < lines.size() && !isAction(lines.get(i))) {
                    i++;
                }
                items.add(BulkItem.failed(action.op(), action.index(), action.id(), action.error().get(), lineNumber));
                continue;
            }
            if (action.op() == BulkItem.OpType.DELETE) {
                items.add(new BulkItem(action.op(), action.index(), action.id(), Optional.empty(), Optional.empty(), lineNumber, action.options()));
                continue;
            }
            if (i >= lines.size() || lines.get(i).isBlank()) {
                items.add(BulkItem.failed(action.op(), action.index(), action.id(), SearchException.illegalArgument(
                        "line [%d]: the %s action has no source line after it", lineNumber, action.op().jsonName()), lineNumber));
                continue;
            }
            String source = lines.get(i);
            i++;
            try {
                JsonNode doc = Json.mapper().readTree(source);
                if (!(doc instanceof ObjectNode object)) {
                    throw SearchException.mapperParsing("line [%d]: the document must be a JSON object", lineNumber + 1);
                }
                items.add(new BulkItem(action.op(), action.index(), action.id(), Optional.of(object), Optional.empty(), lineNumber,
                        action.options()));
            } catch (IOException e) {
                items.add(BulkItem.failed(action.op(), action.index(), action.id(), SearchException.mapperParsing(
                        "failed to parse: line [%d] is not valid JSON: %s", lineNumber + 1, firstLine(e)), lineNumber));
            } catch (SearchException e) {
                items.add(BulkItem.failed(action.op(), action.index(), action.id(), e, lineNumber));
            }
        }
        return items;
    }

    private record Action(BulkItem.OpType op, String index, Optional<String> id, Optional<SearchException> error, WriteOptions options) {
        Action(BulkItem.OpType op, String index, Optional<String> id, Optional<SearchException> error) {
            this(op, index, id, error, WriteOptions.DEFAULT);
        }
    }

    private static boolean isAction(String line) {
        try {
            JsonNode node = Json.mapper().readTree(line);
            if (node == null || !node.isObject() || node.size() != 1) {
                return false;
            }
            String key = node.fieldNames().next();
            return Set.of("index", "create", "update", "delete").contains(key) && node.get(key).isObject();
        } catch (IOException e) {
            return false;
        }
    }

    private static Action action(String line, int lineNumber, Optional<String> defaultIndex) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (IOException e) {
            throw SearchException.illegalArgument("Malformed action/metadata line [%d], expected START_OBJECT: %s", lineNumber, firstLine(e));
        }
        if (node == null || !node.isObject() || node.size() != 1) {
            throw SearchException.illegalArgument("Malformed action/metadata line [%d], expected an object with exactly one of index, create, update, delete",
                    lineNumber);
        }
        Map.Entry<String, JsonNode> e = node.fields().next();
        BulkItem.OpType op = switch (e.getKey()) {
            case "index" -> BulkItem.OpType.INDEX;
            case "create" -> BulkItem.OpType.CREATE;
            case "update" -> BulkItem.OpType.UPDATE;
            case "delete" -> BulkItem.OpType.DELETE;
            default -> throw SearchException.illegalArgument(
                    "Malformed action/metadata line [%d], expected one of [create, delete, index, update] but found [%s]", lineNumber,
                    truncate(e.getKey()));
        };
        JsonNode meta = e.getValue();
        if (!meta.isObject()) {
            return new Action(op, defaultIndex.orElse(""), Optional.empty(), Optional.of(SearchException.illegalArgument(
                    "Malformed action/metadata line [%d], expected START_OBJECT after [%s]", lineNumber, e.getKey())));
        }
        for (Iterator<String> it = meta.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!ACTION_FIELDS.contains(field)) {
                return new Action(op, defaultIndex.orElse(""), Optional.empty(), Optional.of(SearchException.illegalArgument(
                        "Action/metadata line [%d] contains an unknown parameter [%s]", lineNumber, truncate(field))));
            }
        }
        String index = meta.has("_index") ? meta.get("_index").asText() : defaultIndex.orElse("");
        Optional<String> id = meta.hasNonNull("_id") ? Optional.of(meta.get("_id").asText()) : Optional.empty();
        if (index.isEmpty()) {
            return new Action(op, index, id, Optional.of(SearchException.illegalArgument("line [%d]: index is missing", lineNumber)));
        }
        if (id.isEmpty() && (op == BulkItem.OpType.UPDATE || op == BulkItem.OpType.DELETE)) {
            return new Action(op, index, id, Optional.of(SearchException.illegalArgument("line [%d]: id is missing", lineNumber)));
        }
        try {
            if (meta.has("op_type")) {
                String opType = meta.get("op_type").asText();
                if (op != BulkItem.OpType.INDEX || !opType.equals("create") && !opType.equals("index")) {
                    throw SearchException.illegalArgument("opType must be 'create' or 'index', found: [%s]", truncate(opType));
                }
                op = opType.equals("create") ? BulkItem.OpType.CREATE : op;
            }
            refuse(meta, "pipeline", "ingest pipelines are not supported by Tributary");
            refuse(meta, "_source", "Tributary does not return the document from a bulk update");
            if (meta.has("dynamic_templates") && !meta.get("dynamic_templates").isEmpty()) {
                throw SearchException.illegalArgument("[dynamic_templates] in a bulk action is not supported by Tributary; "
                        + "name the fields in the index mapping instead");
            }
            if (meta.has("retry_on_conflict") && op != BulkItem.OpType.UPDATE) {
                throw SearchException.illegalArgument("[retry_on_conflict] is only for update actions");
            }
            BulkItem.OpType finalOp = op;
            WriteOptions options = WriteOptions.parse(name -> Optional.ofNullable(meta.get(name)).filter(n -> !n.isNull()).map(JsonNode::asText),
                    finalOp);
            if (id.isEmpty() && (options.ifSeqNo().isPresent() || options.version().isPresent())) {
                throw SearchException.illegalArgument("an id must be provided if version type or value are set");
            }
            return new Action(op, index, id, Optional.empty(), options);
        } catch (SearchException invalid) {
            return new Action(op, index, id, Optional.of(new SearchException(invalid.code(), invalid.type(), invalid.status(),
                    "line [" + lineNumber + "]: " + invalid.getMessage())));
        }
    }

    private static void refuse(JsonNode meta, String key, String why) {
        if (meta.has(key) && !meta.get(key).isNull()) {
            throw SearchException.illegalArgument("[%s] in a bulk action: %s", key, why);
        }
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    private static String truncate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
