/**
 * The embedded stream log: {@link io.tributary.stream.StreamLog} on local disk with Kinesis Data
 * Streams semantics. {@link io.tributary.stream.local.LocalStreamLog} is the only public class.
 *
 * <h2>Files</h2>
 *
 * <pre>
 * &lt;stream.directory&gt;/
 *   ~lock                                  held by the process using the directory
 *   &lt;stream&gt;/
 *     stream.json                          name, creation time, shards (hash ranges, parents, ending offsets)
 *     consumers/&lt;consumer&gt;.json            checkpoints of one consumer, all shards in one file
 *     shardId-000000000000/
 *       00000000000000000000.log           segment: records from offset 0
 *       00000000000000000000.summary       sidecar of a rolled segment: count, arrival times, size
 *       00000000000000041234.log           the active segment
 * </pre>
 *
 * {@code stream.json} and checkpoint files are replaced atomically (temporary file, force, rename,
 * force the directory). A stream is built under {@code ~creating-<name>} and renamed into place;
 * a deleted stream is renamed to {@code ~deleted-<name>-<n>} before its files are removed; such
 * leftovers are removed on start-up. Stream names cannot contain {@code ~}.
 *
 * <p>A segment is a sequence of records in the {@link io.tributary.stream.local.RecordCodec}
 * format, each with its own CRC32C; offsets in a segment are contiguous from the base offset in
 * its name.
 *
 * <h2>Writes</h2>
 *
 * One committer thread ({@link io.tributary.stream.local.GroupCommitter}) takes every queued
 * append batch, up to 8 MB at a time, encodes each shard's records into one direct buffer, writes
 * it with one call per shard, forces the files it wrote (in parallel, once per group), then moves
 * each shard's durable tip and completes the batches' futures. Readers see only records below the
 * tip, so a record is never visible before its append could be acknowledged.
 *
 * <h2>Start-up</h2>
 *
 * For each shard, rolled segments whose sidecar matches their size are trusted; the last segment
 * and any segment without a valid sidecar are read record by record (length, checksum, offsets)
 * and truncated at the first byte that is not part of a valid record, with a WARN naming the file,
 * the byte offset and how many bytes were dropped. Damage found later by a read in a trusted
 * segment makes readers skip to the next segment and removes the sidecar, so the next start-up
 * truncates it.
 */
package io.tributary.stream.local;
