package io.tributary.stream.local;

import java.util.Arrays;

/**
 * A sparse map from offsets to file positions in one segment: one entry about every
 * {@link #INTERVAL_BYTES} bytes, so a read at any offset scans at most that much before its
 * first record.
 *
 * <p>One thread adds entries (the committer for the active segment, or the thread that builds the
 * index of a closed segment under the segment's lock); any number of threads look up concurrently
 * without locking.
 */
final class SegmentIndex {
    static final int INTERVAL_BYTES = 16 * 1024;

    private final long baseOffset;
    // Published before size, so a reader that sees a size finds at least that many entries.
    private volatile Entries entries = new Entries(new int[16], new int[16]);
    private volatile int size;
    private long lastIndexedPosition;

    SegmentIndex(long baseOffset) {
        this.baseOffset = baseOffset;
    }

    /** Records where a record starts, if it is far enough past the previous entry. */
    void maybeAdd(long offset, long position) {
        if (position - lastIndexedPosition < INTERVAL_BYTES) {
            return;
        }
        Entries current = entries;
        int count = size;
        if (count == current.offsets.length) {
            current = current.grow();
            entries = current;
        }
        current.offsets[count] = Math.toIntExact(offset - baseOffset);
        current.positions[count] = Math.toIntExact(position);
        lastIndexedPosition = position;
        size = count + 1;
    }

    /** The last indexed record at or before {@code offset}: its offset and position; the segment start if none. */
    Entry floor(long offset) {
        int count = size;
        Entries current = entries;
        int low = 0;
        int high = count - 1;
        int found = -1;
        long relative = offset - baseOffset;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (current.offsets[mid] <= relative) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found < 0
                ? new Entry(baseOffset, 0)
                : new Entry(baseOffset + current.offsets[found], current.positions[found]);
    }

    int size() {
        return size;
    }

    record Entry(long offset, long position) {}

    private record Entries(int[] offsets, int[] positions) {
        Entries grow() {
            return new Entries(Arrays.copyOf(offsets, offsets.length * 2),
                    Arrays.copyOf(positions, positions.length * 2));
        }
    }
}
