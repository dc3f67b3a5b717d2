package io.tributary.delivery;

import static java.util.Objects.requireNonNull;

import io.tributary.common.DataSize;
import io.tributary.common.Durations;
import io.tributary.common.TributaryException;
import java.time.Duration;

/**
 * When a delivery stream writes an object: once the buffered records reach {@code size}, or
 * {@code interval} after the first of them was buffered, whichever comes first. Firehose's ranges
 * and defaults: 1–128 MiB (default 5 MiB) and 0–900 s (default 300 s); an interval of 0 writes
 * what each read from the source returned without waiting.
 */
public record BufferingHints(DataSize size, Duration interval) {
    public static final DataSize MIN_SIZE = DataSize.ofMegabytes(1);
    public static final DataSize MAX_SIZE = DataSize.ofMegabytes(128);
    public static final Duration MAX_INTERVAL = Duration.ofSeconds(900);
    public static final BufferingHints DEFAULT = new BufferingHints(DataSize.ofMegabytes(5), Duration.ofSeconds(300));

    public BufferingHints {
        requireNonNull(size, "size is null");
        requireNonNull(interval, "interval is null");
        if (size.compareTo(MIN_SIZE) < 0 || size.compareTo(MAX_SIZE) > 0) {
            throw TributaryException.invalidArgument("buffering size %s is out of range: use 1MB to 128MB, as Firehose's SizeInMBs", size);
        }
        if (interval.isNegative() || interval.compareTo(MAX_INTERVAL) > 0) {
            throw TributaryException.invalidArgument("buffering interval %s is out of range: use 0s to 900s, as Firehose's IntervalInSeconds",
                    Durations.format(interval));
        }
    }
}
