package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.lake.Location;
import io.tributary.lake.ObjectInfo;
import io.tributary.lake.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The first rows of one Parquet object in the lake, for the lake browser. The object is copied to
 * a private temporary file (Parquet is read from its footer, so a stream will not do) and read by
 * a fresh in-memory DuckDB that may read only that directory, with extensions off, so the preview
 * can reach nothing else.
 *
 * <p>Thread-safe: every call uses its own file and connection.
 */
public final class ParquetPreview {
    /** A column's name and DuckDB type name; a row's values are JSON-friendly (numbers, booleans, strings, null). */
    public record Column(String name, String type) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    public record Rows(List<Column> columns, List<List<Object>> rows, boolean truncated) {
        public Rows {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }
    }

    private final ObjectStore store;
    private final Path tempDirectory;
    private final long maxBytes;

    public ParquetPreview(ObjectStore store, Path tempDirectory, long maxBytes) {
        this.store = requireNonNull(store, "store is null");
        this.tempDirectory = requireNonNull(tempDirectory, "tempDirectory is null").toAbsolutePath().normalize();
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Reads up to {@code limit} rows.
     *
     * @throws TributaryException {@code NOT_FOUND} if the object does not exist, {@code LIMIT_EXCEEDED}
     *     past the size limit, {@code INVALID_ARGUMENT} if it is not a Parquet file
     */
    public Rows read(Location location, int limit) {
        requireNonNull(location, "location is null");
        if (limit < 1 || limit > 10_000) {
            throw TributaryException.invalidArgument("limit must be between 1 and 10000, got %d", limit);
        }
        ObjectInfo info = store.stat(location).orElseThrow(() -> TributaryException.notFound("object %s does not exist", location));
        if (info.size() > maxBytes) {
            throw new TributaryException(ErrorCode.LIMIT_EXCEEDED, String.format(
                    "%s is %d bytes; previews read Parquet objects up to %d bytes — query larger ones with SQL", location, info.size(), maxBytes));
        }
        Path dir;
        try {
            Files.createDirectories(tempDirectory);
            dir = Files.createTempDirectory(tempDirectory, "preview-");
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "cannot create a preview directory under " + tempDirectory + ": " + e.getMessage(), e);
        }
        Path file = dir.resolve(UUID.randomUUID() + ".parquet");
        try {
            try (InputStream in = store.open(location)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return query(location, dir, file, limit);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE, "cannot read " + location + " for its preview: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // the directory is private temporary space; a leftover file is harmless
            }
        }
    }

    private static Rows query(Location location, Path dir, Path file, int limit) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            for (String setting : List.of(
                    "SET autoinstall_known_extensions = false",
                    "SET autoload_known_extensions = false",
                    "SET extension_directory = " + literal(dir.toString()),
                    "SET threads = 1",
                    "SET memory_limit = '256MB'",
                    "SET allowed_directories = [" + literal(dir + "/") + "]",
                    "SET enable_external_access = false",
                    "SET lock_configuration = true")) {
                s.execute(setting);
            }
            // The path is ours (a random name in our directory), never user text.
            try (ResultSet rs = s.executeQuery("SELECT * FROM read_parquet(" + literal(file.toString()) + ") LIMIT " + (limit + 1))) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Column> columns = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(new Column(meta.getColumnName(i), meta.getColumnTypeName(i)));
                }
                List<List<Object>> rows = new ArrayList<>();
                boolean truncated = false;
                while (rs.next()) {
                    if (rows.size() == limit) {
                        truncated = true;
                        break;
                    }
                    Object[] row = new Object[columns.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = value(rs, i + 1);
                    }
                    rows.add(Arrays.asList(row));
                }
                return new Rows(columns, rows, truncated);
            }
        } catch (SQLException e) {
            throw TributaryException.invalidArgument("%s is not a readable Parquet file: %s", location,
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static Object value(ResultSet rs, int column) throws SQLException {
        Object v = rs.getObject(column);
        if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof Double || v instanceof Float || v instanceof BigDecimal || v instanceof BigInteger) {
            return v;
        }
        return rs.getString(column);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
