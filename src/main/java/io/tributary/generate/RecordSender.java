package io.tributary.generate;

import java.util.List;

/** Sends a batch of records; thread-safe implementations may be called concurrently. */
public interface RecordSender {
    /**
     * Sends the batch and returns how many records were accepted; records the server refused as
     * throttled are retried with backoff, other refusals are counted as failed.
     */
    Outcome send(List<GeneratedRecord> batch);

    record Outcome(int accepted, int failed, String lastError) {}
}
