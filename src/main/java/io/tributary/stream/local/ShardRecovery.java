package io.tributary.stream.local;

import io.tributary.stream.ShardIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a shard's segment files at start-up, checking what a crash or a bad disk may have
 * damaged. Stateless; used by one thread at a time per shard.
 */
final class ShardRecovery {
    private static final Logger log = LoggerFactory.getLogger(ShardRecovery.class);

    private ShardRecovery() {}

    /**
     * Opens an existing shard: trusts the sidecars of closed segments that match their files,
     * and scans (and if needed truncates) the last segment and any segment without a valid sidecar.
     */
    static ShardLog open(String stream, int shard, Path streamDirectory, LogFileChannels channels, long segmentLimit,
            OptionalLong endingOffset) throws IOException {
        Path directory = ShardLog.directory(streamDirectory, shard);
        Files.createDirectories(directory);
        List<Path> files = segmentFiles(directory);
        List<LogSegment> segments = new ArrayList<>(files.size());
        long previousEnd = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long base = baseOffset(file);
            boolean last = i == files.size() - 1;
            LogSegment segment = last ? recover(file, base, channels, endingOffset.isEmpty()) : openClosed(file, base, channels);
            if (base < previousEnd) {
                segments.forEach(LogSegment::discard);
                segment.discard();
                throw new IOException("segment " + file + " starts at offset " + base
                        + " but the previous segment ends at offset " + previousEnd
                        + "; segments must not overlap. Move the misplaced file out of " + directory);
            }
            if (base > previousEnd && !segments.isEmpty()) {
                log.warn("Offsets {} to {} of stream '{}' {} are missing (damaged and truncated before)",
                        previousEnd, base - 1, stream, ShardIds.format(shard));
            }
            segments.add(segment);
            previousEnd = segment.nextOffset();
        }
        if (segments.isEmpty() && endingOffset.isEmpty()) {
            log.warn("Open shard {} of stream '{}' had no segment files in {}; starting it again at offset 0",
                    ShardIds.format(shard), stream, directory);
            segments.add(LogSegment.create(directory, 0, channels));
        }
        return new ShardLog(stream, shard, directory, channels, segmentLimit, segments, endingOffset);
    }

    private static LogSegment recover(Path file, long base, LogFileChannels channels, boolean active) throws IOException {
        SegmentScan scan = SegmentScan.scanAndRepair(file, base, channels);
        return LogSegment.recovered(file, channels, scan, active);
    }

    private static LogSegment openClosed(Path file, long base, LogFileChannels channels) throws IOException {
        Path sidecar = LogSegment.summaryPath(file);
        Optional<SegmentSummary> summary = SegmentSummary.read(sidecar);
        if (summary.isPresent() && summary.get().baseOffset() == base && summary.get().sizeBytes() == Files.size(file)) {
            return LogSegment.sealed(file, channels, summary.get());
        }
        log.info("Sidecar {} is missing or does not match its segment; scanning the segment", sidecar);
        SegmentScan scan = SegmentScan.scanAndRepair(file, base, channels);
        scan.summary().write(sidecar);
        return LogSegment.recovered(file, channels, scan, false);
    }

    private static List<Path> segmentFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> isSegmentFile(file.getFileName().toString()))
                    .sorted()
                    .toList();
        }
    }

    private static boolean isSegmentFile(String name) {
        return name.length() == 20 + LogSegment.SUFFIX.length()
                && name.endsWith(LogSegment.SUFFIX)
                && name.chars().limit(20).allMatch(c -> c >= '0' && c <= '9')
                // Equal lengths of digits compare as numbers: the base must fit a long.
                && name.substring(0, 20).compareTo("%020d".formatted(Long.MAX_VALUE)) <= 0;
    }

    private static long baseOffset(Path file) {
        return Long.parseLong(file.getFileName().toString().substring(0, 20));
    }

}
