package io.tributary.stream.local;

import static java.util.Objects.requireNonNull;

import io.tributary.stream.AppendRecord;
import io.tributary.stream.AppendResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code append} call on its way to disk: its records with their partition keys encoded,
 * grouped by shard, and the future to complete once they are durable.
 *
 * <p>Thread-safety: built and routed by the appending thread, then handed to the committer
 * through its queue (which publishes it safely); from then on only the committer touches it.
 */
final class PendingAppend implements GroupCommitter.Task {
    final LocalStream stream;
    final List<AppendRecord> records;
    final byte[][] keys;
    final long bytes;
    final long[] offsets;
    final CompletableFuture<List<AppendResult>> future = new CompletableFuture<>();

    private ShardLayout layout;
    private int[] shards;
    // Record indices grouped by shard position, keeping batch order within a shard; run r covers
    // order[runStart(r) .. runEnds[r]) and goes to the open shard at position runPositions[r].
    private int[] order;
    private int[] runPositions;
    private int[] runEnds;

    PendingAppend(LocalStream stream, List<AppendRecord> records) {
        this.stream = requireNonNull(stream, "stream is null");
        this.records = List.copyOf(records);
        this.keys = new byte[this.records.size()][];
        long total = 0;
        for (int i = 0; i < keys.length; i++) {
            AppendRecord record = this.records.get(i);
            keys[i] = record.partitionKey().getBytes(StandardCharsets.UTF_8);
            total += RecordCodec.encodedSize(keys[i].length, record.data().length);
        }
        this.bytes = total;
        this.offsets = new long[keys.length];
    }

    /** Routes every record to an open shard of the layout and groups the records by shard. */
    void route(ShardLayout newLayout) {
        int count = records.size();
        int[] positions = new int[count];
        newLayout.router().routeAll(records, keys, positions);
        int[] perPosition = new int[newLayout.size() + 1];
        for (int i = 0; i < count; i++) {
            int position = newLayout.positionOf(positions[i]);
            positions[i] = position;
            perPosition[position + 1]++;
        }
        int runs = 0;
        for (int p = 1; p < perPosition.length; p++) {
            if (perPosition[p] > 0) {
                runs++;
            }
            perPosition[p] += perPosition[p - 1];
        }
        int[] newRunPositions = new int[runs];
        int[] newRunEnds = new int[runs];
        int run = 0;
        for (int p = 0; p < newLayout.size(); p++) {
            if (perPosition[p + 1] > perPosition[p]) {
                newRunPositions[run] = p;
                newRunEnds[run] = perPosition[p + 1];
                run++;
            }
        }
        int[] newOrder = new int[count];
        int[] next = Arrays.copyOf(perPosition, newLayout.size());
        int[] newShards = new int[count];
        for (int i = 0; i < count; i++) {
            newOrder[next[positions[i]]++] = i;
            newShards[i] = newLayout.shardAt(positions[i]).shard();
        }
        this.layout = newLayout;
        this.order = newOrder;
        this.runPositions = newRunPositions;
        this.runEnds = newRunEnds;
        this.shards = newShards;
    }

    ShardLayout layout() {
        return layout;
    }

    int runCount() {
        return runPositions.length;
    }

    ShardLog runShard(int run) {
        return layout.shardAt(runPositions[run]);
    }

    int runStart(int run) {
        return run == 0 ? 0 : runEnds[run - 1];
    }

    int runEnd(int run) {
        return runEnds[run];
    }

    /** The index in {@link #records} of the record at a position of the shard-grouped order. */
    int recordAt(int orderIndex) {
        return order[orderIndex];
    }

    List<AppendResult> results() {
        AppendResult[] results = new AppendResult[offsets.length];
        for (int i = 0; i < results.length; i++) {
            results[i] = new AppendResult(shards[i], offsets[i]);
        }
        return List.of(results);
    }
}
