package io.tributary.sql;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Athena's result CSV: a header of column names, then one line per row, every value in double
 * quotes (quotes doubled), SQL NULL as an empty unquoted field.
 */
final class ResultCsv {
    private ResultCsv() {}

    static void writeRow(Writer out, String[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            if (values[i] != null) {
                out.write('"');
                out.write(values[i].replace("\"", "\"\""));
                out.write('"');
            }
        }
        out.write('\n');
    }

    /** Reads the next row, or empty at the end. */
    static Optional<String[]> readRow(Reader in) throws IOException {
        List<String> values = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int c = in.read();
        if (c < 0) {
            return Optional.empty();
        }
        while (true) {
            if (c < 0 || c == '\n') {
                values.add(quoted ? field.toString() : (any ? field.toString() : null));
                return Optional.of(values.toArray(new String[0]));
            }
            if (c == ',') {
                values.add(quoted ? field.toString() : (any ? field.toString() : null));
                field.setLength(0);
                quoted = false;
                any = false;
            } else if (c == '"') {
                quoted = true;
                while (true) {
                    int q = in.read();
                    if (q < 0) {
                        break;
                    }
                    if (q == '"') {
                        int next = in.read();
                        if (next == '"') {
                            field.append('"');
                            continue;
                        }
                        c = next;
                        break;
                    }
                    field.append((char) q);
                }
                continue;
            } else {
                field.append((char) c);
                any = true;
            }
            c = in.read();
        }
    }
}
