package io.tributary.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.stream.local.LocalStreamLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamCursorTest {
    @TempDir
    Path dir;

    private static List<AppendRecord> records(String key, int from, int count) {
        List<AppendRecord> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(new AppendRecord(key, (key + ":" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static List<String> drain(StreamCursor cursor) {
        List<String> out = new ArrayList<>();
        List<StoredRecord> batch;
        while (!(batch = cursor.poll(7, 1 << 20)).isEmpty()) {
            batch.forEach(r -> out.add(new String(r.data(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void readsEveryShardAndResumesFromCommittedPositions() throws Exception {
        try (StreamLog log = new LocalStreamLog(StreamLogConfig.defaults(dir), Clock.systemUTC())) {
            log.createStream("s", 3);
            for (String key : List.of("a", "b", "c", "d", "e")) {
                log.append("s", records(key, 0, 10)).get();
            }
            StreamCursor cursor = new StreamCursor(log, "s", "lake");
            assertThat(drain(cursor)).hasSize(50);
            Map<Integer, Long> positions = cursor.positions();
            cursor.commit(positions);
            for (String key : List.of("a", "b")) {
                log.append("s", records(key, 10, 5)).get();
            }
            StreamCursor resumed = new StreamCursor(log, "s", "lake");
            assertThat(drain(resumed)).containsExactlyInAnyOrder("a:10", "a:11", "a:12", "a:13", "a:14", "b:10", "b:11", "b:12", "b:13", "b:14");
            assertThat(resumed.oldestUnreadArrivalMillis()).isEmpty();
            assertThat(new StreamCursor(log, "s", "search").oldestUnreadArrivalMillis()).isPresent();
        }
    }

    @Test
    void aStreamCreatedAgainIsReadFromItsBeginningEvenAtTheSameClockInstant() throws Exception {
        io.tributary.common.TestingClock clock = new io.tributary.common.TestingClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        try (StreamLog log = new LocalStreamLog(StreamLogConfig.defaults(dir), clock)) {
            log.createStream("s", 1);
            log.append("s", records("old", 0, 10)).get();
            StreamCursor cursor = new StreamCursor(log, "s", "lake");
            assertThat(drain(cursor)).hasSize(10);
            java.time.Instant first = cursor.streamCreated();
            log.deleteStream("s");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> cursor.poll(10, 1 << 20))
                    .isInstanceOfSatisfying(io.tributary.common.TributaryException.class,
                            e -> assertThat(e.code()).isEqualTo(io.tributary.common.ErrorCode.NOT_FOUND));
            log.createStream("s", 1);
            log.append("s", records("new", 0, 12)).get();
            List<String> read = drain(cursor);
            assertThat(read).hasSize(12).allMatch(r -> r.startsWith("new:"));
            assertThat(cursor.streamCreated()).isAfter(first);
        }
    }

    @Test
    void readsParentsBeforeChildrenAcrossResharding() throws Exception {
        try (StreamLog log = new LocalStreamLog(StreamLogConfig.defaults(dir), Clock.systemUTC())) {
            log.createStream("r", 2);
            log.append("r", records("k", 0, 20)).get();
            log.updateShardCount("r", 3);
            log.append("r", records("k", 20, 20)).get();
            List<String> seen = drain(new StreamCursor(log, "r", "c"));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                expected.add("k:" + i);
            }
            assertThat(seen).as("one key's records stay in order across the reshard").isEqualTo(expected);
        }
    }

    @Test
    void manyToOneReshardWaitsForEveryOverlappingParent() throws Exception {
        try (StreamLog log = new LocalStreamLog(StreamLogConfig.defaults(dir), Clock.systemUTC())) {
            log.createStream("m", 4);
            for (String key : List.of("a", "b", "c", "d", "e", "f")) {
                log.append("m", records(key, 0, 5)).get();
            }
            log.updateShardCount("m", 1);
            for (String key : List.of("a", "b", "c", "d", "e", "f")) {
                log.append("m", records(key, 5, 5)).get();
            }
            List<String> seen = drain(new StreamCursor(log, "m", "c"));
            for (String key : List.of("a", "b", "c", "d", "e", "f")) {
                List<String> ofKey = seen.stream().filter(r -> r.startsWith(key + ":")).toList();
                assertThat(ofKey).containsExactly(key + ":0", key + ":1", key + ":2", key + ":3", key + ":4",
                        key + ":5", key + ":6", key + ":7", key + ":8", key + ":9");
            }
        }
    }
}
