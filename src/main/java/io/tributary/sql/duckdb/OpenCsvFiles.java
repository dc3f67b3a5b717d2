package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.ObjectContent.reader;
import static io.tributary.sql.duckdb.ObjectContent.unreadable;
import static java.util.Objects.requireNonNull;

import io.tributary.lake.ObjectInfo;
import io.tributary.sql.catalog.TextSerde;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenCSVSerde objects as DuckDB can read them. Hive's OpenCSVSerde parses each line with opencsv,
 * which takes both a doubled quote ({@code "say ""hi"""}) and an escape character ({@code \"}) inside
 * quotes, and drops an escape character before anything else. DuckDB's reader takes one of the two:
 * an object without the escape character is read by DuckDB directly with the doubled-quote rule; an
 * object with it is re-written once per version, line by line as opencsv splits it, into plain
 * quoted CSV in the SQL cache.
 *
 * <p>Thread-safe.
 */
final class OpenCsvFiles {
    private final LakeFiles files;
    /** Whether an object has the escape character (the variant) anywhere. */
    private final ObjectVersionCache<Boolean> escapes = new ObjectVersionCache<>();

    OpenCsvFiles(LakeFiles files) {
        this.files = requireNonNull(files, "files is null");
    }

    /** A file DuckDB reads for the object. */
    record Readable(Path path, boolean rewritten) {}

    Readable readable(ObjectInfo object, Path local, TextSerde serde) {
        char quote = serde.quote().orElseThrow().charAt(0);
        char escape = serde.escape().filter(e -> !e.isEmpty()).orElse(serde.quote().get()).charAt(0);
        if (escape == quote) {
            return new Readable(local, false);
        }
        if (!escapes.get(object, String.valueOf(escape), () -> contains(object, local, escape))) {
            return new Readable(local, false);
        }
        char separator = serde.fieldDelimiter().charAt(0);
        String variant = "opencsv:" + separator + quote + escape + ":" + serde.headerLines();
        Path rewritten = files.derived(object, variant, ".csv", target -> rewrite(object, local, target, separator, quote, escape,
                serde.headerLines()));
        return new Readable(rewritten, true);
    }

    private static boolean contains(ObjectInfo object, Path local, char wanted) {
        try (BufferedReader in = reader(object, local)) {
            char[] buffer = new char[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == wanted) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw unreadable(object, e);
        }
    }

    private static void rewrite(ObjectInfo object, Path local, Path target, char separator, char quote, char escape, int skip) throws IOException {
        try (BufferedReader in = reader(object, local); Writer out = new BufferedWriter(Files.newBufferedWriter(target, StandardCharsets.UTF_8))) {
            String line;
            int skipped = 0;
            while ((line = in.readLine()) != null) {
                if (skipped < skip) {
                    skipped++;
                    continue;
                }
                List<String> fields = parseLine(line, separator, quote, escape);
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    out.write('"');
                    out.write(fields.get(i).replace("\"", "\"\""));
                    out.write('"');
                }
                out.write('\n');
            }
        } catch (IOException e) {
            throw unreadable(object, e);
        }
    }

    /**
     * One line as opencsv 2.3 ({@code CSVParser}, not strict, leading white space ignored) splits it
     * for Hive. Hive hands the SerDe one line at a time, so a field whose quote does not close on the
     * line is dropped, as opencsv drops it when no next line comes.
     */
    static List<String> parseLine(String line, char separator, char quote, char escape) {
        List<String> tokens = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean inQuotes = false;
        boolean inField = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean more = i + 1 < line.length();
            if (c == escape) {
                if ((inQuotes || inField) && more && (line.charAt(i + 1) == quote || line.charAt(i + 1) == escape)) {
                    sb.append(line.charAt(i + 1));
                    i++;
                }
            } else if (c == quote) {
                if ((inQuotes || inField) && more && line.charAt(i + 1) == quote) {
                    sb.append(quote);
                    i++;
                } else {
                    // An embedded quote in the middle of a field (a,bc"d"ef,g) is kept, as opencsv keeps it.
                    if (i > 2 && line.charAt(i - 1) != separator && more && line.charAt(i + 1) != separator) {
                        if (!sb.isEmpty() && sb.toString().isBlank()) {
                            sb.setLength(0);
                        } else {
                            sb.append(c);
                        }
                    }
                    inQuotes = !inQuotes;
                }
                inField = !inField;
            } else if (c == separator && !inQuotes) {
                tokens.add(sb.toString());
                sb.setLength(0);
                inField = false;
            } else {
                sb.append(c);
                inField = true;
            }
        }
        if (!inQuotes) {
            tokens.add(sb.toString());
        }
        return tokens;
    }
}
