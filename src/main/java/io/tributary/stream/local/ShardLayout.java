package io.tributary.stream.local;

import static java.util.Objects.requireNonNull;

import io.tributary.stream.ShardDescription;
import io.tributary.stream.ShardRouter;
import java.util.Arrays;
import java.util.List;

/**
 * The open shards of a stream and the router over them, as one immutable snapshot: appends are
 * routed with the layout current when they are submitted, and routed again by the committer if a
 * resharding replaced it in the meantime.
 *
 * <p>Immutable and thread-safe.
 */
final class ShardLayout {
    private final ShardRouter router;
    private final ShardLog[] open;
    private final int[] positionByShard;

    ShardLayout(List<ShardDescription> openShards, List<ShardLog> openLogs) {
        requireNonNull(openShards, "openShards is null");
        this.router = new ShardRouter(openShards);
        this.open = openLogs.toArray(ShardLog[]::new);
        int maxShard = openLogs.stream().mapToInt(ShardLog::shard).max().orElseThrow();
        this.positionByShard = new int[maxShard + 1];
        Arrays.fill(positionByShard, -1);
        for (int i = 0; i < open.length; i++) {
            positionByShard[open[i].shard()] = i;
        }
    }

    ShardRouter router() {
        return router;
    }

    int size() {
        return open.length;
    }

    ShardLog shardAt(int position) {
        return open[position];
    }

    /** Position of an open shard in this layout. */
    int positionOf(int shard) {
        return positionByShard[shard];
    }
}
