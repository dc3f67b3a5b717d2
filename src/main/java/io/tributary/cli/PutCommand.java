package io.tributary.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "put", mixinStandardHelpOptions = true,
        description = {"Put records into a stream through the Kinesis API.",
                "Records are the DATA arguments, else the lines of --file, else the lines of standard input."})
final class PutCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "STREAM")
    String stream;

    @Parameters(index = "1..*", paramLabel = "DATA", description = "Record payloads.")
    List<String> data = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read one record per line from this file.")
    Path file;

    @Option(names = {"-k", "--partition-key"}, paramLabel = "KEY", description = "Partition key for every record.")
    String partitionKey;

    @Option(names = "--key-field", paramLabel = "FIELD", description = "Take each record's partition key from this JSON field.")
    String keyField;

    @Option(names = {"-q", "--quiet"}, description = "Print only the summary.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        TributaryClient c = client.client();
        List<String> records = new ArrayList<>(data);
        if (records.isEmpty()) {
            try (BufferedReader reader = file != null ? Files.newBufferedReader(file, StandardCharsets.UTF_8)
                    : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank()) {
                        records.add(line);
                    }
                }
            }
        }
        int failed = 0;
        for (int start = 0; start < records.size(); start += 500) {
            List<String> batch = records.subList(start, Math.min(records.size(), start + 500));
            ObjectNode request = Json.mapper().createObjectNode().put("StreamName", stream);
            ArrayNode array = request.putArray("Records");
            for (String r : batch) {
                array.addObject().put("PartitionKey", key(r)).put("Data", r.getBytes(StandardCharsets.UTF_8));
            }
            JsonNode response = c.kinesis("PutRecords", request);
            JsonNode results = response.path("Records");
            for (int i = 0; i < batch.size(); i++) {
                JsonNode result = results.path(i);
                if (result.has("ErrorCode")) {
                    failed++;
                    System.err.println("record " + (start + i + 1) + " failed: " + result.path("ErrorCode").asText() + " "
                            + result.path("ErrorMessage").asText());
                } else if (!quiet) {
                    System.out.println(result.path("ShardId").asText() + "  " + result.path("SequenceNumber").asText());
                }
            }
        }
        System.err.println("Put " + (records.size() - failed) + " record(s) into " + stream + (failed > 0 ? ", " + failed + " failed" : "") + ".");
        return failed > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private String key(String record) {
        if (partitionKey != null) {
            return partitionKey;
        }
        if (keyField != null) {
            try {
                JsonNode value = Json.mapper().readTree(record).path(keyField);
                if (!value.isMissingNode() && !value.isNull() && !value.asText().isEmpty()) {
                    return value.asText();
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--key-field needs JSON records, and this one is not: "
                        + (record.length() > 60 ? record.substring(0, 60) + "..." : record));
            }
            throw new IllegalArgumentException("record has no field '" + keyField + "': "
                    + (record.length() > 60 ? record.substring(0, 60) + "..." : record));
        }
        return UUID.randomUUID().toString();
    }
}
