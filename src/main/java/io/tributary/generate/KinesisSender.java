package io.tributary.generate;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.client.ClientException;
import io.tributary.client.TributaryClient;
import io.tributary.common.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends records with the Kinesis PutRecords API, as the lab's producer does, retrying records
 * the server reports as throttled (up to a few times, with exponential backoff).
 *
 * <p>Thread-safe.
 */
public final class KinesisSender implements RecordSender {
    private static final int MAX_ATTEMPTS = 8;

    private final TributaryClient client;
    private final String stream;

    public KinesisSender(TributaryClient client, String stream) {
        this.client = requireNonNull(client, "client is null");
        this.stream = requireNonNull(stream, "stream is null");
    }

    @Override
    public Outcome send(List<GeneratedRecord> batch) {
        List<GeneratedRecord> pending = batch;
        int accepted = 0;
        String lastError = "";
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && !pending.isEmpty(); attempt++) {
            ObjectNode request = Json.mapper().createObjectNode();
            request.put("StreamName", stream);
            ArrayNode records = request.putArray("Records");
            for (GeneratedRecord r : pending) {
                records.addObject().put("PartitionKey", r.partitionKey()).put("Data", r.data());
            }
            JsonNode response;
            try {
                response = client.kinesis("PutRecords", request);
            } catch (ClientException e) {
                if (e.status() == 0 || !isRetryable(e.code()) || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                lastError = e.getMessage();
                backoff(attempt);
                continue;
            }
            List<GeneratedRecord> retry = new ArrayList<>();
            JsonNode results = response.path("Records");
            for (int i = 0; i < pending.size(); i++) {
                JsonNode result = results.path(i);
                if (result.has("ErrorCode")) {
                    lastError = result.path("ErrorCode").asText() + ": " + result.path("ErrorMessage").asText();
                    retry.add(pending.get(i));
                } else {
                    accepted++;
                }
            }
            pending = retry;
            if (!pending.isEmpty()) {
                backoff(attempt);
            }
        }
        return new Outcome(accepted, pending.size(), lastError);
    }

    private static boolean isRetryable(String code) {
        return code.equals("ProvisionedThroughputExceededException") || code.equals("ThrottlingException")
                || code.equals("InternalFailure") || code.equals("ServiceUnavailableException");
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(Math.min(2000, 25L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
