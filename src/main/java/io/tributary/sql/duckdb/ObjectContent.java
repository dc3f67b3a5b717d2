package io.tributary.sql.duckdb;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.lake.Compression;
import io.tributary.lake.ObjectInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The content of a lake object from its local copy, for the readers that prepare objects for
 * DuckDB: decompressed as the object's name says, and a failure to read it reported as Hive's
 * {@code HIVE_BAD_DATA}, naming the object (never the local file) and what was wrong.
 *
 * <p>Stateless.
 */
final class ObjectContent {
    private ObjectContent() {}

    /** The object's bytes, decompressed; the caller closes the stream. */
    static InputStream open(ObjectInfo object, Path local) throws IOException {
        InputStream raw = Files.newInputStream(local);
        try {
            return Compression.decoding(raw, object.location().fileName());
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** The object's text, decompressed and read as UTF-8; the caller closes the reader. */
    static BufferedReader reader(ObjectInfo object, Path local) throws IOException {
        return new BufferedReader(new InputStreamReader(open(object, local), StandardCharsets.UTF_8));
    }

    /** The error for an object that could not be read. */
    static TributaryException unreadable(ObjectInfo object, IOException e) {
        return new TributaryException(ErrorCode.INVALID_ARGUMENT, "HIVE_BAD_DATA: " + object.location() + " cannot be read: "
                + CorruptObjects.describe(e));
    }
}
