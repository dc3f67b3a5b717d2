/**
 * Lake delivery: Firehose semantics from a stream (or direct puts) into the lake.
 *
 * <p>{@link io.tributary.delivery.DeliveryService} runs one {@code DeliveryStream} per declared or
 * API-created delivery stream. Each reads its source through a checkpointed
 * {@link io.tributary.stream.StreamCursor}, buffers until a {@link io.tributary.delivery.BufferingHints}
 * trigger, and hands the batch to {@code ObjectPlanner} (KPL de-aggregation, the
 * {@link io.tributary.delivery.spi.RecordTransformer} chain, dynamic partitioning or per-record
 * routing, error output, encoding and naming). The batch and its object keys are journalled
 * ({@code ObjectJournal}) before any object is written and the checkpoint moves only after all are,
 * so every record lands exactly once, also across crashes. {@link io.tributary.delivery.FirehoseService}
 * is the Firehose API over the service.
 */
package io.tributary.delivery;
