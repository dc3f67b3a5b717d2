package io.tributary.generate;

import java.time.Instant;
import java.util.Optional;

/** Produces records one at a time; empty when exhausted. Not thread-safe. */
@FunctionalInterface
public interface RecordSource {
    /**
     * @param sendTime when the record is about to be sent, for sources that stamp records with it
     */
    Optional<GeneratedRecord> next(Instant sendTime);
}
