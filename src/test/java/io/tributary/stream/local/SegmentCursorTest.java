package io.tributary.stream.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.stream.StoredRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentCursorTest {
    @Test
    void encodesAndReadsBackRecordsAcrossReadAheadBoundaries() throws IOException {
        ByteBuffer file = ByteBuffer.allocate(1 << 20);
        RecordCodec.Encoder encoder = new RecordCodec.Encoder(file);
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] payload = new byte[i * 37 % 3000];
            for (int j = 0; j < payload.length; j++) {
                payload[j] = (byte) (i + j);
            }
            data.add(payload);
            encoder.encode(100 + i, 5000 + i, ("key" + i).getBytes(UTF_8), payload);
        }
        int size = file.position();

        // A small read-ahead forces records to straddle buffer refills and buffer growth.
        SegmentCursor cursor = new SegmentCursor(reader(file, size), 0, size, 100, 64);
        List<StoredRecord> records = new ArrayList<>();
        while (cursor.next()) {
            records.add(cursor.toStoredRecord(3));
        }

        assertThat(cursor.problem()).isEmpty();
        assertThat(cursor.nextPosition()).isEqualTo(size);
        assertThat(records).hasSize(200);
        for (int i = 0; i < 200; i++) {
            StoredRecord record = records.get(i);
            assertThat(record.offset()).isEqualTo(100 + i);
            assertThat(record.arrivalTimeMillis()).isEqualTo(5000 + i);
            assertThat(record.partitionKey()).isEqualTo("key" + i);
            assertThat(record.data()).isEqualTo(data.get(i));
            assertThat(record.shard()).isEqualTo(3);
        }
    }

    @Test
    void stopsAtWrongOffsetAndReportsWhy() throws IOException {
        ByteBuffer file = ByteBuffer.allocate(4096);
        RecordCodec.Encoder encoder = new RecordCodec.Encoder(file);
        encoder.encode(0, 1, "a".getBytes(UTF_8), new byte[10]);
        int first = file.position();
        encoder.encode(2, 1, "a".getBytes(UTF_8), new byte[10]);

        SegmentCursor cursor = new SegmentCursor(reader(file, file.position()), 0, file.position(), 0, 1024);

        assertThat(cursor.next()).isTrue();
        assertThat(cursor.next()).isFalse();
        assertThat(cursor.nextPosition()).isEqualTo(first);
        assertThat(cursor.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("offset 2", "offset 1"));
    }

    @Test
    void sparseIndexFindsFloorEntries() {
        SegmentIndex index = new SegmentIndex(1000);
        long position = 0;
        for (long offset = 1000; offset < 11_000; offset++) {
            index.maybeAdd(offset, position);
            position += 100;
        }

        // Records are 100 bytes apart: an entry every 16,400 bytes, up to position 999,900.
        assertThat(index.size()).isEqualTo(60);
        assertThat(index.floor(999)).isEqualTo(new SegmentIndex.Entry(1000, 0));
        assertThat(index.floor(1000)).isEqualTo(new SegmentIndex.Entry(1000, 0));
        for (long offset : new long[] {1100, 1163, 1164, 5000, 10_999}) {
            SegmentIndex.Entry entry = index.floor(offset);
            assertThat(entry.offset()).isLessThanOrEqualTo(offset);
            assertThat(offset - entry.offset()).isLessThan(SegmentIndex.INTERVAL_BYTES / 100 + 1);
            assertThat(entry.position()).isEqualTo((entry.offset() - 1000) * 100);
        }
    }

    private static SegmentCursor.PositionalReader reader(ByteBuffer file, int size) {
        return (target, position) -> {
            if (position >= size) {
                return -1;
            }
            int count = (int) Math.min(target.remaining(), size - position);
            target.put(file.duplicate().position((int) position).limit((int) position + count));
            return count;
        };
    }
}
