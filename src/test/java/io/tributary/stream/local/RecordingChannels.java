package io.tributary.stream.local;

import io.tributary.stream.AppendResult;
import io.tributary.stream.ShardIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens real file channels wrapped to record, in one global order, every write (with the offsets
 * of the records it carried) and every {@code force}; tests add acknowledgements. A gate can hold
 * every {@code force} until the test opens it, which makes the disk look slow.
 */
final class RecordingChannels implements LogFileChannels {
    sealed interface Event {
        long sequence();
    }

    record Write(long sequence, FileChannel channel, Path path, int shard, List<Long> offsets) implements Event {}

    record Force(long sequence, FileChannel channel, Path path) implements Event {}

    record Ack(long sequence, List<AppendResult> results) implements Event {}

    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private volatile CountDownLatch forceGate = new CountDownLatch(0);

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
        return new Recording(FileChannel.open(path, options), path);
    }

    void ack(List<AppendResult> results) {
        events.add(new Ack(sequence.incrementAndGet(), results));
    }

    /** Makes every later {@code force} wait until {@link #openGate()}. */
    void closeGate() {
        forceGate = new CountDownLatch(1);
    }

    void openGate() {
        forceGate.countDown();
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    <T extends Event> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private final class Recording extends ForwardingFileChannel {
        private final Path path;

        Recording(FileChannel delegate, Path path) {
            super(delegate);
            this.path = path;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            ByteBuffer copy = src.duplicate();
            int written = super.write(src, position);
            record(copy, written);
            return written;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ByteBuffer copy = src.duplicate();
            int written = super.write(src);
            record(copy, written);
            return written;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            try {
                if (!forceGate.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("force gate stayed closed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the force gate", e);
            }
            super.force(metaData);
            events.add(new Force(sequence.incrementAndGet(), this, path));
        }

        private void record(ByteBuffer bytes, int count) {
            // Whole records per write: the log writes encoded buffers, and local files take them whole.
            List<Long> offsets = new ArrayList<>();
            int start = bytes.position();
            int end = start + count;
            int at = start;
            while (at < end) {
                int length = bytes.getInt(at);
                if (at + RecordCodec.LENGTH_FIELD_SIZE + length > end) {
                    throw new UncheckedIOException(new IOException("a write split a record at " + at));
                }
                offsets.add(bytes.getLong(at + RecordCodec.OFFSET_POSITION));
                at += RecordCodec.LENGTH_FIELD_SIZE + length;
            }
            int shard = ShardIds.parse(path.getParent().getFileName().toString());
            events.add(new Write(sequence.incrementAndGet(), this, path, shard, List.copyOf(offsets)));
        }
    }
}
