package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.client.TributaryClient;
import io.tributary.common.ErrorCode;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.sql.parser.ScriptSplitter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tributary sql}: run statements of Athena's dialect, or an interactive shell with history. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run SQL (Athena's dialect) on the server: a statement, a file of statements, or an interactive shell.",
                "Results print as a table (default), CSV or JSON lines."})
final class SqlCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = {"-d", "--database"}, defaultValue = "default", description = "Database for unqualified table names (default ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--format", defaultValue = "table", description = "Output: table, csv or json (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-f", "--file"}, description = "Run the statements in this file, in order, stopping at the first failure.")
    Path file;

    @Option(names = "--timeout", defaultValue = "3600", description = "Seconds to wait for a statement (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Parameters(paramLabel = "STATEMENT", arity = "0..1", description = "The statement; without it (and without -f) an interactive shell starts.")
    String statement;

    @Override
    public Integer call() throws IOException {
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new IllegalArgumentException("--format must be table, csv or json, not '" + format + "'");
        }
        TributaryClient c = client.client();
        if (statement != null) {
            return run(c, statement, System.out) ? ExitCodes.OK : ExitCodes.FAILED;
        }
        if (file != null) {
            for (String s : ScriptSplitter.split(Files.readString(file))) {
                if (!run(c, s, System.out)) {
                    return ExitCodes.FAILED;
                }
            }
            return ExitCodes.OK;
        }
        return shell(c);
    }

    /** Runs one statement and prints its result; false (after printing why) if it failed. */
    boolean run(TributaryClient c, String sql, PrintStream out) {
        ObjectNode request = Json.mapper().createObjectNode().put("query", sql).put("database", database).put("wait", true).put("waitSeconds", 30);
        JsonNode e = c.post("/api/queries", request);
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (!done(e.path("state").asText())) {
            if (System.nanoTime() > deadline) {
                c.delete("/api/queries/" + e.path("id").asText());
                throw new TributaryException(ErrorCode.TIMEOUT, "gave up waiting for query " + e.path("id").asText() + " after " + timeoutSeconds + " s");
            }
            sleep();
            e = c.get("/api/queries/" + e.path("id").asText());
        }
        String state = e.path("state").asText();
        if (!state.equals("SUCCEEDED")) {
            System.err.println(state + ": " + e.path("stateReason").asText("") + " (query " + e.path("id").asText() + ")");
            return false;
        }
        database = e.path("database").asText(database);
        List<String> columns = new ArrayList<>();
        e.path("columns").forEach(col -> columns.add(col.path("name").asText()));
        if (!columns.isEmpty()) {
            print(c, e.path("id").asText(), columns, out);
        }
        if (format.equals("table")) {
            System.err.printf("%s in %.2f s, %s scanned%n", rows(e), e.path("engineMillis").asLong() / 1000.0,
                    io.tributary.common.DataSize.ofBytes(e.path("bytesScanned").asLong()).humanReadable());
        }
        return true;
    }

    private static String rows(JsonNode e) {
        long n = e.path("rows").asLong();
        return n == 1 ? "1 row" : n + " rows";
    }

    private void print(TributaryClient c, String id, List<String> columns, PrintStream out) {
        Table table = new Table(columns.toArray(new String[0]));
        if (format.equals("csv")) {
            out.println(String.join(",", columns.stream().map(SqlCommand::csv).toList()));
        }
        String token = null;
        do {
            JsonNode page = c.get("/api/queries/" + id + "/results?maxResults=1000" + (token == null ? ""
                    : "&nextToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
            for (JsonNode row : page.path("rows")) {
                List<String> values = new ArrayList<>();
                row.forEach(v -> values.add(v.isNull() ? null : v.asText()));
                switch (format) {
                    case "csv" -> out.println(String.join(",", values.stream().map(v -> v == null ? "" : csv(v)).toList()));
                    case "json" -> {
                        ObjectNode o = Json.mapper().createObjectNode();
                        for (int i = 0; i < columns.size(); i++) {
                            if (values.get(i) == null) {
                                o.putNull(columns.get(i));
                            } else {
                                o.put(columns.get(i), values.get(i));
                            }
                        }
                        out.println(o);
                    }
                    default -> table.row(values.stream().map(v -> v == null ? "NULL" : v).toArray());
                }
            }
            token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
        } while (token != null);
        if (format.equals("table")) {
            table.print(out);
        }
    }

    private static String csv(String v) {
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }

    private static boolean done(String state) {
        return state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED");
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new TributaryException(ErrorCode.CANCELLED, "interrupted");
        }
    }

    /** Reads statements ending in ';' line by line; history in ~/.tributary_sql_history. */
    private int shell(TributaryClient c) throws IOException {
        String home = System.getenv("HOME");
        Path history = Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".tributary_sql_history");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("Tributary SQL (Athena's dialect) on " + c.server() + ". End statements with ';'. "
                + "Commands: history, quit.");
        StringBuilder buffer = new StringBuilder();
        while (true) {
            System.out.print(buffer.isEmpty() ? database + "> " : "   ...> ");
            System.out.flush();
            String line = in.readLine();
            if (line == null) {
                System.out.println();
                return ExitCodes.OK;
            }
            String trimmed = line.trim();
            if (buffer.isEmpty() && (trimmed.equalsIgnoreCase("quit") || trimmed.equalsIgnoreCase("exit") || trimmed.equals("\\q"))) {
                return ExitCodes.OK;
            }
            if (buffer.isEmpty() && trimmed.equalsIgnoreCase("history")) {
                if (Files.exists(history)) {
                    List<String> lines = Files.readAllLines(history);
                    lines.subList(Math.max(0, lines.size() - 50), lines.size()).forEach(System.out::println);
                }
                continue;
            }
            buffer.append(line).append('\n');
            if (!trimmed.endsWith(";")) {
                continue;
            }
            String sql = buffer.toString().trim();
            buffer.setLength(0);
            Files.writeString(history, sql.replace('\n', ' ') + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            for (String s : ScriptSplitter.split(sql)) {
                try {
                    run(c, s, System.out);
                } catch (RuntimeException e) {
                    System.err.println("error: " + e.getMessage());
                }
            }
        }
    }
}
