package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.aws.AwsErrors;
import io.tributary.aws.AwsJsonService;
import io.tributary.aws.AwsRequest;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.sql.catalog.Catalog;
import java.util.List;
import java.util.Optional;

/**
 * The Amazon Athena API ({@code AmazonAthena}, JSON 1.1): StartQueryExecution,
 * GetQueryExecution, GetQueryResults, StopQueryExecution, ListQueryExecutions and
 * BatchGetQueryExecution, so boto3, the AWS SDKs and the lab's compaction function work unchanged.
 * Results pages include the header row first, as Athena's do for SELECT queries.
 *
 * <p>Thread-safe.
 */
public final class AthenaService implements AwsJsonService {
    private final SqlService sql;

    public AthenaService(SqlService sql) {
        this.sql = requireNonNull(sql, "sql is null");
    }

    @Override
    public String targetPrefix() {
        return "AmazonAthena";
    }

    @Override
    public ObjectNode handle(AwsRequest request) {
        return switch (request.operation()) {
            case "StartQueryExecution" -> start(request);
            case "GetQueryExecution" -> get(request);
            case "BatchGetQueryExecution" -> batchGet(request);
            case "GetQueryResults" -> results(request);
            case "StopQueryExecution" -> stop(request);
            case "ListQueryExecutions" -> list(request);
            default -> throw new TributaryException(ErrorCode.UNSUPPORTED,
                    "Athena operation '" + request.operation() + "' is not supported by Tributary");
        };
    }

    @Override
    public String errorType(TributaryException e) {
        return switch (e.code()) {
            case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, RESOURCE_IN_USE, UNSUPPORTED, CANCELLED, EXPIRED, LIMIT_EXCEEDED, MALFORMED_REQUEST,
                    PAYLOAD_TOO_LARGE -> "InvalidRequestException";
            case THROTTLED -> "TooManyRequestsException";
            case INTERNAL, STORAGE_FAILURE -> "InternalServerException";
            default -> AwsErrors.defaultType(e);
        };
    }

    private ObjectNode start(AwsRequest request) {
        String query = request.requiredString("QueryString");
        JsonNode context = request.body().path("QueryExecutionContext");
        String database = context.path("Database").asText(Catalog.DEFAULT_DATABASE);
        if (context.hasNonNull("Catalog") && !context.get("Catalog").asText().equalsIgnoreCase("AwsDataCatalog")) {
            throw TributaryException.invalidArgument("catalog '%s' does not exist; the only catalog is AwsDataCatalog", context.get("Catalog").asText());
        }
        Optional<Location> output = Optional.empty();
        JsonNode location = request.body().path("ResultConfiguration").path("OutputLocation");
        if (location.isTextual() && !location.asText().isBlank()) {
            output = Optional.of(Location.parse(location.asText()));
        }
        QueryExecution e = sql.submit(new QuerySubmission(query, database, request.principal(), output));
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("QueryExecutionId", e.id());
        return out;
    }

    private ObjectNode get(AwsRequest request) {
        QueryExecution e = sql.require(request.requiredString("QueryExecutionId"), request.principal());
        ObjectNode out = Json.mapper().createObjectNode();
        out.set("QueryExecution", execution(request, e));
        return out;
    }

    private ObjectNode batchGet(AwsRequest request) {
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode found = out.putArray("QueryExecutions");
        ArrayNode missing = out.putArray("UnprocessedQueryExecutionIds");
        for (JsonNode id : request.body().path("QueryExecutionIds")) {
            try {
                found.add(execution(request, sql.require(id.asText(), request.principal())));
            } catch (TributaryException e) {
                missing.addObject().put("QueryExecutionId", id.asText()).put("ErrorCode", "INVALID_INPUT").put("ErrorMessage", e.getMessage());
            }
        }
        return out;
    }

    private ObjectNode execution(AwsRequest request, QueryExecution e) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("QueryExecutionId", e.id());
        node.put("Query", e.query());
        node.put("StatementType", e.statementType());
        node.put("SubstatementType", e.substatementType());
        ObjectNode result = node.putObject("ResultConfiguration");
        e.output().ifPresent(o -> result.put("OutputLocation", o.toString()));
        node.putObject("QueryExecutionContext").put("Database", e.database()).put("Catalog", "awsdatacatalog");
        ObjectNode status = node.putObject("Status");
        status.put("State", e.state().name());
        e.stateReason().ifPresent(r -> status.put("StateChangeReason", r));
        request.codec().putTimestamp(status, "SubmissionDateTime", e.submitted());
        e.completed().ifPresent(t -> request.codec().putTimestamp(status, "CompletionDateTime", t));
        if (e.state() == QueryState.FAILED) {
            ErrorCode code = e.errorCode().map(ErrorCode::valueOf).orElse(ErrorCode.INTERNAL);
            boolean user = code.category() == io.tributary.common.ErrorCategory.USER_ERROR;
            status.putObject("AthenaError").put("ErrorCategory", user ? 2 : 1).put("ErrorType", user ? 1000 : 401)
                    .put("Retryable", code.category() == io.tributary.common.ErrorCategory.INSUFFICIENT_RESOURCES)
                    .put("ErrorMessage", e.stateReason().orElse(""));
        }
        ObjectNode stats = node.putObject("Statistics");
        stats.put("EngineExecutionTimeInMillis", e.engineMillis());
        stats.put("DataScannedInBytes", e.bytesScanned());
        stats.put("TotalExecutionTimeInMillis", e.engineMillis() + e.queueMillis());
        stats.put("QueryQueueTimeInMillis", e.queueMillis());
        stats.put("ServicePreProcessingTimeInMillis", 0);
        stats.put("QueryPlanningTimeInMillis", 0);
        stats.put("ServiceProcessingTimeInMillis", 0);
        node.put("WorkGroup", "primary");
        node.putObject("EngineVersion").put("SelectedEngineVersion", "AUTO").put("EffectiveEngineVersion", "Tributary (DuckDB)");
        return node;
    }

    private ObjectNode results(AwsRequest request) {
        String id = request.requiredString("QueryExecutionId");
        int max = request.optionalInt("MaxResults").orElse(SqlService.MAX_PAGE);
        if (max < 1 || max > SqlService.MAX_PAGE) {
            throw TributaryException.invalidArgument("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: "
                    + "Member must have value less than or equal to 1000", max);
        }
        Optional<String> token = request.optionalString("NextToken");
        QueryExecution e = sql.require(id, request.principal());
        boolean header = token.isEmpty() && e.statementType().equals("DML") && e.substatementType().equals("SELECT") && !e.columns().isEmpty();
        long offset = token.map(AthenaService::offset).orElse(0L);
        ResultPage page = sql.results(id, request.principal(), offset, header ? max - 1 : max);
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("UpdateCount", 0);
        ObjectNode resultSet = out.putObject("ResultSet");
        ArrayNode rows = resultSet.putArray("Rows");
        if (header) {
            ArrayNode data = rows.addObject().putArray("Data");
            page.columns().forEach(c -> data.addObject().put("VarCharValue", c.name()));
        }
        for (String[] row : page.rows()) {
            ArrayNode data = rows.addObject().putArray("Data");
            for (String v : row) {
                ObjectNode datum = data.addObject();
                if (v != null) {
                    datum.put("VarCharValue", v);
                }
            }
        }
        ArrayNode info = resultSet.putObject("ResultSetMetadata").putArray("ColumnInfo");
        for (ResultColumn c : page.columns()) {
            info.addObject().put("CatalogName", "hive").put("SchemaName", "").put("TableName", "").put("Name", c.name()).put("Label", c.name())
                    .put("Type", c.type()).put("Precision", c.precision()).put("Scale", c.scale()).put("Nullable", "UNKNOWN")
                    .put("CaseSensitive", c.type().equals("varchar"));
        }
        page.nextToken().ifPresent(t -> out.put("NextToken", "t" + t));
        return out;
    }

    private static long offset(String token) {
        try {
            if (token.startsWith("t")) {
                return Long.parseLong(token.substring(1));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw TributaryException.invalidArgument("NextToken '%s' is not a token this API returned", token);
    }

    private ObjectNode stop(AwsRequest request) {
        sql.cancel(request.requiredString("QueryExecutionId"), request.principal());
        return Json.mapper().createObjectNode();
    }

    private ObjectNode list(AwsRequest request) {
        int max = request.optionalInt("MaxResults").orElse(50);
        if (max < 1 || max > 50) {
            throw TributaryException.invalidArgument("MaxResults must be between 1 and 50");
        }
        long offset = request.optionalString("NextToken").map(AthenaService::offset).orElse(0L);
        List<QueryExecution> all = sql.list(request.principal(), (int) Math.min(Integer.MAX_VALUE, offset + max + 1));
        ObjectNode out = Json.mapper().createObjectNode();
        ArrayNode ids = out.putArray("QueryExecutionIds");
        all.stream().skip(offset).limit(max).forEach(e -> ids.add(e.id()));
        if (all.size() > offset + max) {
            out.put("NextToken", "t" + (offset + max));
        }
        return out;
    }
}
