package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Converts JSON records to one Parquet file (Snappy) against a declared schema, with DuckDB (the
 * product's SQL engine) doing the Parquet writing. Each record is first checked and normalised in
 * Java, column by column, so a record that does not fit fails alone (as
 * {@code format-conversion-failed}) instead of failing the whole object in DuckDB.
 *
 * <p>DuckDB runs in memory with extension auto-loading off, so it never tries the network.
 *
 * <p>Not thread-safe: owned by one delivery thread.
 */
final class ParquetEncoder implements Closeable {
    private static final DateTimeFormatter DUCKDB_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter SPACE_SEPARATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSS]");

    private final Path workDir;
    private Connection connection;

    ParquetEncoder(Path workDir) {
        this.workDir = requireNonNull(workDir, "workDir is null");
    }

    /** The record normalised to the schema's columns, or the reason it does not fit. */
    static Optional<String> normalise(ParquetSchema schema, byte[] data, ObjectNode out) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(data);
        } catch (IOException e) {
            return Optional.of("the record is not JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            return Optional.of("the record is not a JSON object");
        }
        for (ParquetSchema.Column column : schema.columns()) {
            JsonNode value = field(root, column.name());
            if (value == null || value.isNull()) {
                out.putNull(column.name());
                continue;
            }
            try {
                put(out, column, value);
            } catch (RuntimeException e) {
                return Optional.of("field '" + column.name() + "' value " + truncate(value.toString()) + " is not a " + column.type());
            }
        }
        return Optional.empty();
    }

    private static JsonNode field(JsonNode root, String name) {
        JsonNode exact = root.get(name);
        if (exact != null) {
            return exact;
        }
        // Firehose's OpenX JSON SerDe matches column names case-insensitively.
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equalsIgnoreCase(name)) {
                return f.getValue();
            }
        }
        return null;
    }

    private static void put(ObjectNode out, ParquetSchema.Column column, JsonNode value) {
        String name = column.name();
        String type = column.duckdbType();
        if (type.equals("VARCHAR")) {
            out.put(name, value.isValueNode() ? value.asText() : value.toString());
        } else if (type.equals("INTEGER") || type.equals("BIGINT")) {
            long v = value.isIntegralNumber() ? value.longValue() : Long.parseLong(value.asText().trim());
            if (type.equals("INTEGER") && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException("out of range");
            }
            if (value.isNumber() && !value.isIntegralNumber()) {
                throw new IllegalArgumentException("not integral");
            }
            out.put(name, v);
        } else if (type.equals("DOUBLE") || type.equals("FLOAT") || type.startsWith("DECIMAL")) {
            if (value.isBoolean() || value.isContainerNode()) {
                throw new IllegalArgumentException("not a number");
            }
            out.put(name, new BigDecimal(value.asText().trim()));
        } else if (type.equals("BOOLEAN")) {
            if (value.isBoolean()) {
                out.put(name, value.booleanValue());
            } else {
                String t = value.asText().trim().toLowerCase(Locale.ROOT);
                if (!t.equals("true") && !t.equals("false")) {
                    throw new IllegalArgumentException("not a boolean");
                }
                out.put(name, Boolean.parseBoolean(t));
            }
        } else if (type.equals("TIMESTAMP")) {
            out.put(name, DUCKDB_TIMESTAMP.format(timestamp(value)));
        } else if (type.equals("DATE")) {
            out.put(name, LocalDate.parse(value.asText().trim()).toString());
        } else {
            throw new IllegalStateException("unhandled type " + type);
        }
    }

    /** ISO-8601 with or without offset, {@code yyyy-MM-dd HH:mm:ss[.fraction]}, or epoch milliseconds. */
    private static LocalDateTime timestamp(JsonNode value) {
        if (value.isIntegralNumber()) {
            return LocalDateTime.ofInstant(Instant.ofEpochMilli(value.longValue()), ZoneOffset.UTC);
        }
        String text = value.asText().trim();
        try {
            return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        } catch (RuntimeException e) {
            try {
                return LocalDateTime.parse(text);
            } catch (RuntimeException e2) {
                return LocalDateTime.parse(text, SPACE_SEPARATED);
            }
        }
    }

    /** Writes normalised rows (see {@link #normalise}) as one Parquet file with Snappy compression. */
    byte[] encode(ParquetSchema schema, List<ObjectNode> rows) {
        Path in = workDir.resolve("parquet-" + UUID.randomUUID() + ".ndjson");
        Path out = workDir.resolve("parquet-" + UUID.randomUUID() + ".parquet");
        try {
            Files.createDirectories(workDir);
            try (OutputStream o = Files.newOutputStream(in)) {
                for (ObjectNode row : rows) {
                    o.write(Json.mapper().writeValueAsBytes(row));
                    o.write('\n');
                }
            }
            StringBuilder columns = new StringBuilder("{");
            StringBuilder select = new StringBuilder();
            for (ParquetSchema.Column c : schema.columns()) {
                if (columns.length() > 1) {
                    columns.append(", ");
                    select.append(", ");
                }
                columns.append('\'').append(c.name()).append("': '").append(c.duckdbType()).append('\'');
                select.append('"').append(c.name()).append('"');
            }
            columns.append('}');
            try (Statement statement = connection().createStatement()) {
                statement.execute("COPY (SELECT " + select + " FROM read_json('" + sql(in) + "', format = 'newline_delimited', columns = "
                        + columns + ", timestampformat = '%Y-%m-%d %H:%M:%S.%f')) TO '" + sql(out)
                        + "' (FORMAT PARQUET, COMPRESSION SNAPPY)");
            }
            return Files.readAllBytes(out);
        } catch (IOException | SQLException e) {
            closeConnection();
            throw new TributaryException(ErrorCode.INTERNAL, "converting " + rows.size() + " record(s) to Parquet failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
            } catch (IOException e) {
                // temporary files in the delivery's work directory; removed at the next start
            }
        }
    }

    private Connection connection() throws SQLException, IOException {
        if (connection == null) {
            Path extensions = workDir.resolve("duckdb-extensions");
            Files.createDirectories(extensions);
            connection = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = connection.createStatement()) {
                s.execute("SET autoinstall_known_extensions = false");
                s.execute("SET autoload_known_extensions = false");
                s.execute("SET extension_directory = '" + sql(extensions) + "'");
                s.execute("SET threads = 1");
            }
        }
        return connection;
    }

    private static String sql(Path path) {
        return path.toAbsolutePath().toString().replace("'", "''");
    }

    private static String truncate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // a failed connection is replaced at the next use
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeConnection();
    }
}
