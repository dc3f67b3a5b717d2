package io.tributary.generate;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Generated retail records. Dates are the send time, as the lab's generator does, unless a start
 * time is given: then record {@code i} is dated {@code start + i / rate}, so a seeded run is fully
 * reproducible.
 */
public final class RetailSource implements RecordSource {
    private final RetailRecords records;
    private final Optional<Instant> start;
    private final double perSecond;
    private long index;

    public RetailSource(long seed, Optional<Instant> start, Rate rate) {
        this.records = new RetailRecords(seed);
        this.start = start;
        this.perSecond = rate.perSecond();
    }

    @Override
    public Optional<GeneratedRecord> next(Instant sendTime) {
        Instant date = start.map(s -> s.plus(Duration.ofNanos((long) (index / perSecond * 1e9)))).orElse(sendTime);
        index++;
        byte[] data = records.next(date);
        return Optional.of(new GeneratedRecord(RetailRecords.partitionKey(data), data));
    }
}
