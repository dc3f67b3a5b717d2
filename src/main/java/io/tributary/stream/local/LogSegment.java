package io.tributary.stream.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment file of a shard ({@code <20-digit base offset>.log}): records with contiguous
 * offsets from {@link #baseOffset()}, in the {@link RecordCodec} format, and a sparse
 * {@link SegmentIndex} over them.
 *
 * <p>Thread-safety: the write side ({@link #write}, {@link #recordAppended}, {@link #publish},
 * {@link #closeWriteChannel}) belongs to the group committer's thread. Reads are thread-safe and
 * use their own read-only channel, so a reader interrupted mid-read (which closes the channel it
 * used) never breaks the writer; the read channel is reopened on next use.
 */
final class LogSegment {
    static final String SUFFIX = ".log";
    private static final Logger log = LoggerFactory.getLogger(LogSegment.class);
    private static final int INDEX_READ_AHEAD = 1024 * 1024;

    private final Path path;
    private final long baseOffset;
    private final LogFileChannels channels;
    private final SegmentIndex index;
    private final Object readLock = new Object();

    private volatile SegmentSummary summary;
    private volatile boolean indexed;
    /** Set when a read finds a damaged record: readers treat the segment as ending there. */
    private volatile long damagedAt = -1;
    private volatile boolean deleted;
    /** No more writes will come and the data is as durable as the policy makes it; only sealed segments expire. */
    private volatile boolean sealed;
    private FileChannel readChannel; // guarded by readLock

    // Write side, owned by the committer thread.
    private FileChannel writeChannel;
    private long writtenBytes;
    private long recordCount;
    private long firstArrival;
    private long lastArrival;

    private LogSegment(Path path, LogFileChannels channels, SegmentSummary summary, SegmentIndex index, boolean indexed) {
        this.path = requireNonNull(path, "path is null");
        this.baseOffset = summary.baseOffset();
        this.channels = requireNonNull(channels, "channels is null");
        this.summary = requireNonNull(summary, "summary is null");
        this.index = requireNonNull(index, "index is null");
        this.indexed = indexed;
        this.writtenBytes = summary.sizeBytes();
        this.recordCount = summary.recordCount();
        this.firstArrival = summary.firstArrivalMillis();
        this.lastArrival = summary.lastArrivalMillis();
    }

    static Path fileName(Path directory, long baseOffset) {
        return directory.resolve("%020d%s".formatted(baseOffset, SUFFIX));
    }

    static Path summaryPath(Path segmentPath) {
        String name = segmentPath.getFileName().toString();
        return segmentPath.resolveSibling(name.substring(0, name.length() - SUFFIX.length()) + SegmentSummary.SUFFIX);
    }

    /** Creates a new, empty active segment. */
    static LogSegment create(Path directory, long baseOffset, LogFileChannels channels) throws IOException {
        Path path = fileName(directory, baseOffset);
        LogSegment segment = new LogSegment(
                path, channels, SegmentSummary.empty(baseOffset), new SegmentIndex(baseOffset), true);
        segment.writeChannel = channels.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        return segment;
    }

    /** A sealed segment whose sidecar was trusted; its index is built on first read. */
    static LogSegment sealed(Path path, LogFileChannels channels, SegmentSummary summary) {
        LogSegment segment = new LogSegment(path, channels, summary, new SegmentIndex(summary.baseOffset()), false);
        segment.sealed = true;
        return segment;
    }

    /** A segment just scanned at start-up, with the index the scan built; writable if it is active. */
    static LogSegment recovered(Path path, LogFileChannels channels, SegmentScan scan, boolean active) throws IOException {
        LogSegment segment = new LogSegment(path, channels, scan.summary(), scan.index(), true);
        if (active) {
            segment.writeChannel = channels.open(path, Set.of(StandardOpenOption.WRITE));
        } else {
            segment.sealed = true;
        }
        return segment;
    }

    Path path() {
        return path;
    }

    long baseOffset() {
        return baseOffset;
    }

    /** What readers may rely on: for the active segment, as of the last {@link #publish}. */
    SegmentSummary summary() {
        return summary;
    }

    boolean isDeleted() {
        return deleted;
    }

    // ---- write side (committer thread) ----

    long writtenBytes() {
        return writtenBytes;
    }

    long nextOffset() {
        return baseOffset + recordCount;
    }

    /** Notes a record about to be written at {@code position}, for the index and the summary. */
    void recordAppended(long offset, long arrivalMillis, long position) {
        index.maybeAdd(offset, position);
        if (recordCount == 0) {
            firstArrival = arrivalMillis;
        }
        lastArrival = arrivalMillis;
        recordCount++;
    }

    /** Writes the whole buffer at the end of the file. */
    FileChannel write(ByteBuffer buffer) throws IOException {
        FileChannel channel = requireNonNull(writeChannel, "segment is not writable");
        while (buffer.hasRemaining()) {
            writtenBytes += channel.write(buffer, writtenBytes);
        }
        return channel;
    }

    /** Makes what was written so far visible in {@link #summary()}. */
    void publish() {
        summary = new SegmentSummary(baseOffset, recordCount, firstArrival, lastArrival, writtenBytes);
    }

    /**
     * After a roll or when the shard closes, once the data is as durable as the policy makes it:
     * writes the sidecar and closes the write channel.
     */
    void seal() throws IOException {
        publish();
        summary.write(summaryPath(path));
        closeWriteChannel();
        sealed = true;
    }

    boolean isSealed() {
        return sealed;
    }

    void closeWriteChannel() throws IOException {
        if (writeChannel != null) {
            writeChannel.close();
            writeChannel = null;
        }
    }

    // ---- read side (any thread) ----

    /**
     * Bytes readers may read: the published size, or less if a read found a damaged record.
     * For the active segment callers bound reads by the shard's durable tip instead.
     */
    long readableBytes() {
        long damaged = damagedAt;
        long size = summary.sizeBytes();
        return damaged >= 0 ? Math.min(damaged, size) : size;
    }

    /**
     * A cursor positioned at or before {@code offset}, at a record boundary found through the
     * sparse index, which is built first if this is a closed segment read for the first time.
     */
    SegmentCursor cursorAt(long offset, long limitBytes, int readAhead) throws IOException {
        SegmentIndex.Entry entry;
        if (offset <= baseOffset) {
            entry = new SegmentIndex.Entry(baseOffset, 0);
        } else {
            ensureIndexed();
            entry = index.floor(offset);
        }
        long limit = Math.min(limitBytes, readableBytes());
        return new SegmentCursor(this::read, Math.min(entry.position(), limit), limit, entry.offset(), readAhead);
    }

    /**
     * Notes that a read found a damaged record, so that readers stop before it, and removes the
     * sidecar so that the next start-up scans the segment and truncates it there.
     */
    void markDamaged(long position, String problem) {
        synchronized (readLock) {
            if (damagedAt >= 0 && damagedAt <= position) {
                return;
            }
            damagedAt = position;
        }
        log.error("Segment {} is damaged: {}. Readers skip from byte {} to the next segment; "
                + "the file is truncated there on the next start. Check the disk.", path, problem, position);
        try {
            Files.deleteIfExists(summaryPath(path));
        } catch (IOException e) {
            log.warn("Could not remove sidecar of damaged segment {}", path, e);
        }
    }

    private void ensureIndexed() throws IOException {
        if (indexed) {
            return;
        }
        synchronized (readLock) {
            if (indexed) {
                return;
            }
            SegmentCursor cursor = new SegmentCursor(this::read, 0, summary.sizeBytes(), baseOffset, INDEX_READ_AHEAD);
            while (cursor.next()) {
                index.maybeAdd(cursor.offset(), cursor.position());
            }
            indexed = true;
            cursor.problem().ifPresent(problem -> markDamaged(cursor.nextPosition(), problem));
        }
    }

    /** Thrown by reads of a segment that retention (or stream deletion) removed meanwhile. */
    static final class DeletedException extends ClosedChannelException {
        private static final long serialVersionUID = 1L;
    }

    /** A positional read through the read channel, reopening it if an interrupted reader closed it. */
    int read(ByteBuffer target, long position) throws IOException {
        for (int attempt = 0; ; attempt++) {
            FileChannel channel = readChannel();
            try {
                return channel.read(target, position);
            } catch (ClosedByInterruptException e) {
                throw e;
            } catch (ClosedChannelException e) {
                if (deleted) {
                    throw new DeletedException();
                }
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private FileChannel readChannel() throws IOException {
        synchronized (readLock) {
            if (deleted) {
                throw new DeletedException();
            }
            if (readChannel == null || !readChannel.isOpen()) {
                readChannel = channels.open(path, Set.of(StandardOpenOption.READ));
            }
            return readChannel;
        }
    }

    /** Closes the read channel; the write channel belongs to the committer. */
    void closeReadChannel() throws IOException {
        synchronized (readLock) {
            if (readChannel != null) {
                readChannel.close();
                readChannel = null;
            }
        }
    }

    /**
     * Stops all use of the segment without touching its files, which the caller removes: no
     * more reads, no sidecar. Call on the committer thread, which owns the write channel.
     */
    void discard() {
        synchronized (readLock) {
            deleted = true;
        }
        try {
            closeWriteChannel();
            closeReadChannel();
        } catch (IOException e) {
            log.debug("Could not close discarded segment {}", path, e);
        }
    }

    /** Removes the segment and its sidecar; concurrent readers fail with a closed channel. */
    void delete() throws IOException {
        synchronized (readLock) {
            deleted = true;
        }
        closeReadChannel();
        Files.deleteIfExists(summaryPath(path));
        Files.deleteIfExists(path);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
