package io.tributary.stream.local;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.stream.ReadResult;
import io.tributary.stream.ShardIds;
import io.tributary.stream.ShardStats;
import io.tributary.stream.StartPosition;
import io.tributary.stream.StoredRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one shard: a list of {@link LogSegment}s, the last of which is active while the
 * shard is open, and the durable tip up to which readers may see records.
 *
 * <p>Thread-safety: the write side ({@link #write}, {@link #publishTip}, {@link #close}) is used
 * only by the group committer's thread. Reads, {@link #resolve}, {@link #stats} and
 * {@link #enforceRetention} are thread-safe and take no lock while reading files: they work on a
 * snapshot of the segment list and of the tip, both replaced atomically.
 */
final class ShardLog {
    private static final Logger log = LoggerFactory.getLogger(ShardLog.class);
    private static final int MIN_READ_AHEAD = 8 * 1024;
    private static final int MAX_READ_AHEAD = 1024 * 1024;
    private static final int MAX_READ_ATTEMPTS = 3;

    /**
     * What readers may see: records below {@code endOffset}, which end in {@code segment} at
     * {@code segmentBytes}.
     */
    record Tip(long endOffset, LogSegment segment, long segmentBytes, long lastArrivalMillis) {}

    /** Collects what one group of writes touched, for the committer to force and seal. */
    interface WriteTracker {
        void wrote(FileChannel channel);

        /** A segment rolled: seal it once its data is durable, and sync the directory of the new one. */
        void rolled(LogSegment previous, Path directory);
    }

    private final String stream;
    private final int shard;
    private final Path directory;
    private final LogFileChannels channels;
    private final long segmentLimit;
    private final Object segmentsLock = new Object();
    private volatile List<LogSegment> segments;
    private volatile Tip tip;
    private volatile OptionalLong endingOffset;
    /** Set by a reader that found damage in the active segment: roll so readers can get past it. */
    private volatile boolean rollRequested;
    private volatile boolean discarded;

    // Write side, owned by the committer thread.
    private LogSegment active;
    private long nextOffset;
    private long lastArrival;

    /** A shard over existing segments, as {@link ShardRecovery} found them; the last is active if the shard is open. */
    ShardLog(String stream, int shard, Path directory, LogFileChannels channels, long segmentLimit,
            List<LogSegment> segments, OptionalLong endingOffset) {
        this.stream = requireNonNull(stream, "stream is null");
        this.shard = shard;
        this.directory = requireNonNull(directory, "directory is null");
        this.channels = requireNonNull(channels, "channels is null");
        this.segmentLimit = segmentLimit;
        this.segments = List.copyOf(segments);
        this.endingOffset = requireNonNull(endingOffset, "endingOffset is null");
        LogSegment last = this.segments.isEmpty() ? null : this.segments.getLast();
        this.active = endingOffset.isEmpty() ? last : null;
        this.nextOffset = last == null ? endingOffset.orElse(0) : last.nextOffset();
        this.lastArrival = this.segments.stream()
                .map(LogSegment::summary)
                .filter(summary -> summary.recordCount() > 0)
                .mapToLong(SegmentSummary::lastArrivalMillis)
                .max()
                .orElse(0);
        long end = endingOffset.orElse(nextOffset);
        this.tip = new Tip(end, last, last == null ? 0 : last.writtenBytes(), lastArrival);
    }

    static Path directory(Path streamDirectory, int shard) {
        return streamDirectory.resolve(ShardIds.format(shard));
    }

    /** Creates the directory and first segment of a new, open shard. */
    static ShardLog create(String stream, int shard, Path streamDirectory, LogFileChannels channels, long segmentLimit)
            throws IOException {
        Path directory = directory(streamDirectory, shard);
        Files.createDirectories(directory);
        LogSegment first = LogSegment.create(directory, 0, channels);
        return new ShardLog(stream, shard, directory, channels, segmentLimit, List.of(first), OptionalLong.empty());
    }

    int shard() {
        return shard;
    }

    Path directory() {
        return directory;
    }

    // ---- write side (committer thread) ----

    /**
     * Encodes the given runs of records into the encoder's buffer and writes them to the active
     * segment, rolling it when the next record would take it past the segment size. Offsets go
     * into each append's {@code offsets}; readers see nothing until {@link #publishTip}.
     */
    void write(List<Run> runs, long nowMillis, RecordCodec.Encoder encoder, WriteTracker tracker) throws IOException {
        if (active == null) {
            throw new IllegalStateException("shard " + ShardIds.format(shard) + " of '" + stream + "' is closed");
        }
        long arrival = Math.max(lastArrival, nowMillis);
        ByteBuffer buffer = encoder.buffer();
        buffer.clear();
        for (Run run : runs) {
            PendingAppend append = run.append();
            for (int k = run.from(); k < run.to(); k++) {
                int record = append.recordAt(k);
                byte[] key = append.keys[record];
                byte[] data = append.records.get(record).data();
                int size = RecordCodec.encodedSize(key.length, data.length);
                long position = active.writtenBytes() + buffer.position();
                if (position > 0 && (position + size > segmentLimit || rollRequested)) {
                    flush(buffer, tracker);
                    roll(tracker);
                    position = 0;
                } else if (buffer.remaining() < size) {
                    flush(buffer, tracker);
                    position = active.writtenBytes();
                }
                active.recordAppended(nextOffset, arrival, position);
                encoder.encode(nextOffset, arrival, key, data);
                append.offsets[record] = nextOffset;
                nextOffset++;
            }
        }
        flush(buffer, tracker);
        lastArrival = arrival;
        active.publish();
    }

    private void flush(ByteBuffer buffer, WriteTracker tracker) throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        tracker.wrote(active.write(buffer));
        buffer.clear();
    }

    private void roll(WriteTracker tracker) throws IOException {
        LogSegment previous = active;
        previous.publish();
        LogSegment next = LogSegment.create(directory, nextOffset, channels);
        synchronized (segmentsLock) {
            List<LogSegment> updated = new ArrayList<>(segments);
            updated.add(next);
            segments = List.copyOf(updated);
        }
        active = next;
        rollRequested = false;
        tracker.rolled(previous, directory);
        log.debug("Rolled {} at offset {}", previous, nextOffset);
    }

    /** Lets readers see everything written so far; called once it is as durable as the policy makes it. */
    void publishTip() {
        if (active != null) {
            tip = new Tip(nextOffset, active, active.writtenBytes(), lastArrival);
        }
    }

    /**
     * Closes the shard for resharding: no more appends, its end is the current next offset. Runs
     * after the shard's records are durable; the caller seals the returned last segment.
     */
    LogSegment close() {
        LogSegment last = requireNonNull(active, "shard is already closed");
        endingOffset = OptionalLong.of(nextOffset);
        active = null;
        return last;
    }

    long nextOffset() {
        return nextOffset;
    }

    // ---- read side (any thread) ----

    long startOffset() {
        List<LogSegment> current = segments;
        return current.isEmpty() ? tip.endOffset() : current.getFirst().baseOffset();
    }

    long resolve(StartPosition position) {
        long end = tip.endOffset();
        return switch (position) {
            case StartPosition.TrimHorizon ignored -> startOffset();
            case StartPosition.Latest ignored -> end;
            case StartPosition.AtOffset at -> {
                checkOffset(at.offset(), end);
                yield Math.max(at.offset(), startOffset());
            }
            case StartPosition.AfterOffset after -> {
                checkOffset(after.offset(), end - 1);
                yield Math.max(after.offset() + 1, startOffset());
            }
            case StartPosition.AtTimestamp at -> withRetries(() -> offsetAtTime(at.timestamp().toEpochMilli()));
        };
    }

    private void checkOffset(long offset, long last) {
        if (offset < 0) {
            throw TributaryException.invalidArgument("offset %d is negative; offsets start at 0", offset);
        }
        if (offset > last) {
            throw TributaryException.invalidArgument(
                    "offset %d is beyond the end of stream '%s' %s, whose next offset is %d; "
                            + "use an offset you read from this shard, or LATEST",
                    offset, stream, ShardIds.format(shard), tip.endOffset());
        }
    }

    private long offsetAtTime(long timeMillis) throws IOException {
        Tip current = tip;
        List<LogSegment> snapshot = segments;
        // First segment whose newest record is at or after the time. Empty segments count as
        // matching, which can only move the search earlier; the scan below then walks on.
        int low = 0;
        int high = snapshot.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            SegmentSummary summary = snapshot.get(mid).summary();
            if (summary.recordCount() > 0 && summary.lastArrivalMillis() < timeMillis) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        for (int i = low; i < snapshot.size(); i++) {
            LogSegment segment = snapshot.get(i);
            if (segment.baseOffset() >= current.endOffset()) {
                break;
            }
            SegmentCursor cursor = segment.cursorAt(segment.baseOffset(), readLimit(segment, current), MAX_READ_AHEAD);
            while (cursor.next()) {
                if (cursor.offset() >= current.endOffset()) {
                    return current.endOffset();
                }
                if (cursor.arrivalTimeMillis() >= timeMillis) {
                    return cursor.offset();
                }
            }
            noteDamage(segment, cursor, snapshot);
        }
        return current.endOffset();
    }

    ReadResult read(long fromOffset, int maxRecords, int maxBytes, long nowMillis) {
        return withRetries(() -> readOnce(fromOffset, maxRecords, maxBytes, nowMillis));
    }

    private ReadResult readOnce(long fromOffset, int maxRecords, int maxBytes, long nowMillis) throws IOException {
        Tip current = tip;
        OptionalLong ending = endingOffset;
        long end = current.endOffset();
        checkOffset(fromOffset, end);
        List<LogSegment> snapshot = segments;
        long offset = Math.max(fromOffset, snapshot.isEmpty() ? end : snapshot.getFirst().baseOffset());
        List<StoredRecord> records = new ArrayList<>(Math.min(maxRecords, 1000));
        long bytes = 0;
        long lastReturnedArrival = -1;
        boolean full = false;
        boolean exhausted = true;
        int readAhead = Math.clamp(
                (long) maxBytes + (long) maxRecords * RecordCodec.HEADER_SIZE + SegmentIndex.INTERVAL_BYTES,
                MIN_READ_AHEAD, MAX_READ_AHEAD);
        for (int i = floorSegment(snapshot, offset); i < snapshot.size() && offset < end; i++) {
            LogSegment segment = snapshot.get(i);
            if (segment.baseOffset() >= end) {
                break;
            }
            offset = Math.max(offset, segment.baseOffset());
            SegmentCursor cursor = segment.cursorAt(offset, readLimit(segment, current), readAhead);
            while (cursor.next()) {
                long recordOffset = cursor.offset();
                if (recordOffset >= end) {
                    break;
                }
                if (recordOffset < offset) {
                    continue;
                }
                if (!records.isEmpty() && bytes + cursor.payloadSize() > maxBytes) {
                    full = true;
                    break;
                }
                records.add(cursor.toStoredRecord(shard));
                bytes += cursor.payloadSize();
                lastReturnedArrival = cursor.arrivalTimeMillis();
                offset = recordOffset + 1;
                if (records.size() >= maxRecords || bytes >= maxBytes) {
                    full = true;
                    break;
                }
            }
            if (full) {
                exhausted = false;
                break;
            }
            noteDamage(segment, cursor, snapshot);
        }
        if (ending.isPresent() && exhausted && offset < ending.getAsLong() && lastSegmentReached(snapshot, offset)) {
            // Records past the end of the last segment of a closed shard were lost to damage.
            offset = ending.getAsLong();
        }
        long behind = 0;
        if (offset < end) {
            long reference = lastReturnedArrival >= 0 ? lastReturnedArrival : current.lastArrivalMillis();
            behind = Math.max(0, nowMillis - reference);
        }
        boolean ended = ending.isPresent() && offset >= ending.getAsLong();
        return new ReadResult(records, offset, behind, ended);
    }

    private static boolean lastSegmentReached(List<LogSegment> snapshot, long offset) {
        return snapshot.isEmpty() || offset >= snapshot.getLast().baseOffset();
    }

    private static long readLimit(LogSegment segment, Tip current) {
        return segment == current.segment() ? current.segmentBytes() : segment.readableBytes();
    }

    private void noteDamage(LogSegment segment, SegmentCursor cursor, List<LogSegment> snapshot) {
        Optional<String> problem = cursor.problem();
        if (problem.isPresent() && !segment.isDeleted()) {
            segment.markDamaged(cursor.nextPosition(), problem.get());
            if (segment == snapshot.getLast() && endingOffset.isEmpty()) {
                rollRequested = true;
            }
        }
    }

    /** Index of the last segment whose base offset is at or below the offset, or 0. */
    private static int floorSegment(List<LogSegment> snapshot, long offset) {
        int low = 0;
        int high = snapshot.size() - 1;
        int found = 0;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (snapshot.get(mid).baseOffset() <= offset) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    private interface Read<T> {
        T run() throws IOException;
    }

    /**
     * Runs a read again if retention deleted a segment under it: the retry starts at the new trim
     * horizon, so it makes progress however often that happens, as each segment is deleted once.
     * An interrupted read is not retried.
     */
    private <T> T withRetries(Read<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.run();
            } catch (ClosedByInterruptException e) {
                throw new TributaryException(ErrorCode.CANCELLED,
                        "read of stream '%s' %s was interrupted".formatted(stream, ShardIds.format(shard)), e);
            } catch (LogSegment.DeletedException e) {
                if (discarded) {
                    throw LocalStreamLog.storageFailure(
                            "read stream '%s' %s, which was deleted".formatted(stream, ShardIds.format(shard)), e);
                }
                log.trace("Segment of stream '{}' {} deleted during a read; retrying", stream, shard);
            } catch (ClosedChannelException e) {
                if (attempt >= MAX_READ_ATTEMPTS) {
                    throw LocalStreamLog.storageFailure("read stream '%s' %s".formatted(stream, ShardIds.format(shard)), e);
                }
            } catch (IOException e) {
                throw LocalStreamLog.storageFailure("read stream '%s' %s".formatted(stream, ShardIds.format(shard)), e);
            }
        }
    }

    ShardStats stats() {
        Tip current = tip;
        List<LogSegment> snapshot = segments;
        long size = snapshot.stream().mapToLong(segment -> segment.summary().sizeBytes()).sum();
        long start = snapshot.isEmpty() ? current.endOffset() : snapshot.getFirst().baseOffset();
        return new ShardStats(shard, start, current.endOffset(), size, current.lastArrivalMillis());
    }

    /**
     * Deletes the oldest sealed segments while their newest record is older than the cutoff or
     * the shard is larger than {@code maxBytes} (0: no bound). The active segment is never sealed,
     * so it stays.
     *
     * @return the number of segments deleted
     */
    int enforceRetention(long cutoffMillis, long maxBytes) {
        List<LogSegment> expired;
        synchronized (segmentsLock) {
            List<LogSegment> current = segments;
            long total = current.stream().mapToLong(segment -> segment.summary().sizeBytes()).sum();
            int drop = 0;
            while (drop < current.size()) {
                LogSegment segment = current.get(drop);
                SegmentSummary summary = segment.summary();
                boolean old = summary.lastArrivalMillis() < cutoffMillis;
                boolean oversized = maxBytes > 0 && total > maxBytes;
                if (!segment.isSealed() || (!old && !oversized)) {
                    break;
                }
                total -= summary.sizeBytes();
                drop++;
            }
            if (drop == 0) {
                return 0;
            }
            expired = current.subList(0, drop);
            segments = List.copyOf(current.subList(drop, current.size()));
        }
        for (LogSegment segment : expired) {
            try {
                segment.delete();
                log.info("Deleted segment {} of stream '{}' (retention)", segment, stream);
            } catch (IOException e) {
                log.warn("Could not delete expired segment {}; it is no longer read and will be retried "
                        + "on the next start", segment, e);
            }
        }
        return expired.size();
    }

    /** Marks every segment deleted and closes its channels: the stream is being deleted. */
    void discard() {
        discarded = true;
        segments.forEach(LogSegment::discard);
    }

    /** Closes every channel; the committer has stopped. */
    void closeChannels() {
        for (LogSegment segment : segments) {
            try {
                segment.closeWriteChannel();
                segment.closeReadChannel();
            } catch (IOException e) {
                log.warn("Could not close segment {}", segment, e);
            }
        }
    }

    /** A contiguous run of one append's records bound for this shard: {@code order[from..to)}. */
    record Run(PendingAppend append, int from, int to) {}
}
