package io.tributary.stream.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result of checking a whole segment file at start-up: what it holds after any damaged tail
 * was cut off, and the sparse index built on the way.
 *
 * @param summary the segment as it is now, after truncation
 * @param index the sparse index over its records
 * @param droppedBytes bytes cut off the end; 0 when the file was intact
 */
record SegmentScan(SegmentSummary summary, SegmentIndex index, long droppedBytes) {
    private static final Logger log = LoggerFactory.getLogger(SegmentScan.class);
    private static final int READ_AHEAD = 1024 * 1024;

    SegmentScan {
        requireNonNull(summary, "summary is null");
        requireNonNull(index, "index is null");
    }

    /**
     * Reads every record of a segment, checking length, checksum and offsets, and truncates the
     * file at the first byte that is not part of a valid record: a torn write at the tail, or
     * damage anywhere. Truncated files are forced before this returns, so that new records are
     * never appended after garbage.
     */
    static SegmentScan scanAndRepair(Path path, long baseOffset, LogFileChannels channels) throws IOException {
        try (FileChannel channel = channels.open(path, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE))) {
            long size = channel.size();
            SegmentIndex index = new SegmentIndex(baseOffset);
            SegmentCursor cursor = new SegmentCursor(channel::read, 0, size, baseOffset, READ_AHEAD);
            long count = 0;
            long first = 0;
            long last = 0;
            while (cursor.next()) {
                index.maybeAdd(cursor.offset(), cursor.position());
                if (count == 0) {
                    first = cursor.arrivalTimeMillis();
                }
                last = cursor.arrivalTimeMillis();
                count++;
            }
            long valid = cursor.nextPosition();
            long dropped = size - valid;
            if (dropped > 0) {
                log.warn("Truncating segment {} at byte {}, dropping {} bytes (records from offset {} on): found {}",
                        path, valid, dropped, cursor.nextOffset(), cursor.problem().orElse("unreadable bytes"));
                channel.truncate(valid);
                channel.force(true);
            }
            return new SegmentScan(new SegmentSummary(baseOffset, count, first, last, valid), index, dropped);
        }
    }
}
