package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tributary.common.Json;
import io.tributary.search.SearchException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A {@code _cat} answer: named columns (with OpenSearch's short aliases) and rows, shaped by the
 * URL as OpenSearch shapes it: {@code h} picks and orders columns (patterns allowed), {@code s}
 * sorts ({@code docs.count:desc}), {@code v} adds the header, {@code format=json} answers JSON,
 * {@code help} lists the columns.
 *
 * <p>Not thread-safe: one per request.
 */
final class CatTable {
    /** A column: its name, aliases, whether it is shown without {@code h}, and whether it sorts as a number. */
    record Column(String name, List<String> aliases, boolean byDefault, boolean numeric, String description) {
        Column {
            requireNonNull(name, "name is null");
            aliases = List.copyOf(aliases);
        }
    }

    /** A cell: what is shown, and what it sorts by (the number behind a human-readable size). */
    record Cell(String text, Comparable<?> sortKey) {
        static Cell of(String text) {
            return new Cell(text, text);
        }

        static Cell of(long number) {
            return new Cell(Long.toString(number), number);
        }
    }

    private final List<Column> columns;
    private final List<List<Cell>> rows = new ArrayList<>();

    CatTable(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    void add(List<Cell> row) {
        if (row.size() != columns.size()) {
            throw new IllegalArgumentException("a row needs " + columns.size() + " cells, got " + row.size());
        }
        rows.add(List.copyOf(row));
    }

    private int column(String name) {
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.name().equals(name) || c.aliases().contains(name)) {
                return i;
            }
        }
        return -1;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    void write(Context ctx) {
        if (ctx.queryParam("help") != null) {
            StringBuilder sb = new StringBuilder();
            for (Column c : columns) {
                sb.append(String.format(Locale.ROOT, "%-20s | %-20s | %s%n", c.name(), String.join(",", c.aliases()), c.description()));
            }
            ctx.status(200).contentType("text/plain; charset=UTF-8").result(sb.toString());
            return;
        }
        List<Integer> shown = new ArrayList<>();
        String h = ctx.queryParam("h");
        if (h == null) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).byDefault()) {
                    shown.add(i);
                }
            }
        } else {
            for (String name : h.split(",")) {
                String n = name.trim();
                if (n.contains("*")) {
                    for (int i = 0; i < columns.size(); i++) {
                        if (columns.get(i).name().matches(java.util.regex.Pattern.quote(n).replace("*", "\\E.*\\Q")) && !shown.contains(i)) {
                            shown.add(i);
                        }
                    }
                    continue;
                }
                int i = column(n);
                if (i < 0) {
                    throw SearchException.illegalArgument("Unknown header [%s] in [h]; the columns are %s (see ?help)", n,
                            columns.stream().map(Column::name).toList());
                }
                shown.add(i);
            }
        }
        List<List<Cell>> sorted = new ArrayList<>(rows);
        String s = ctx.queryParam("s");
        if (s != null) {
            Comparator<List<Cell>> order = null;
            for (String spec : s.split(",")) {
                String[] parts = spec.trim().split(":");
                int i = column(parts[0]);
                if (i < 0) {
                    throw SearchException.illegalArgument("Unable to sort by unknown sort key [%s]", parts[0]);
                }
                boolean desc = parts.length > 1 && parts[1].equalsIgnoreCase("desc");
                if (parts.length > 1 && !parts[1].equalsIgnoreCase("asc") && !desc) {
                    throw SearchException.illegalArgument("Unsupported sort order [%s] for [%s]; use asc or desc", parts[1], parts[0]);
                }
                Comparator<List<Cell>> c = Comparator.comparing(r -> (Comparable) r.get(i).sortKey());
                c = desc ? c.reversed() : c;
                order = order == null ? c : order.thenComparing(c);
            }
            sorted.sort(order);
        }
        String format = ctx.queryParam("format");
        if (format != null && !format.equals("json") && !format.equals("txt") && !format.equals("text")) {
            throw SearchException.illegalArgument("[format] %s is not supported by Tributary's _cat APIs; use json or txt", format);
        }
        if ("json".equals(format)) {
            ArrayNode out = Json.mapper().createArrayNode();
            for (List<Cell> row : sorted) {
                ObjectNode o = out.addObject();
                shown.forEach(i -> o.put(columns.get(i).name(), row.get(i).text()));
            }
            ctx.status(200).contentType("application/json; charset=UTF-8").result(out.toString());
            return;
        }
        List<String[]> lines = new ArrayList<>();
        if (ctx.queryParam("v") != null) {
            lines.add(shown.stream().map(i -> columns.get(i).name()).toArray(String[]::new));
        }
        for (List<Cell> row : sorted) {
            lines.add(shown.stream().map(i -> row.get(i).text()).toArray(String[]::new));
        }
        int[] widths = new int[shown.size()];
        for (String[] line : lines) {
            for (int c = 0; c < line.length; c++) {
                widths[c] = Math.max(widths[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : lines) {
            for (int c = 0; c < line.length; c++) {
                boolean number = columns.get(shown.get(c)).numeric();
                boolean last = c == line.length - 1;
                // Numbers align right; text aligns left, and the last column is not padded (as OpenSearch prints it).
                String cell = widths[c] == 0 || last && !number ? line[c]
                        : String.format(Locale.ROOT, "%" + (number ? "" : "-") + widths[c] + "s", line[c]);
                sb.append(cell).append(c == line.length - 1 ? "\n" : " ");
            }
        }
        ctx.status(200).contentType("text/plain; charset=UTF-8").result(sb.toString());
    }
}
