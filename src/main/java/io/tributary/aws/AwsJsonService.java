package io.tributary.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.TributaryException;

/**
 * An AWS service spoken over the JSON 1.1 protocol on {@code POST /} with
 * {@code X-Amz-Target: <targetPrefix>.<Operation>} (Kinesis, Firehose, Athena).
 *
 * <p>Implementations are thread-safe.
 */
public interface AwsJsonService {
    /** For example {@code Kinesis_20131202}. */
    String targetPrefix();

    /**
     * Runs one operation. Errors are thrown as {@link TributaryException}s; the protocol layer
     * names them with {@link #errorType}.
     *
     * @throws TributaryException {@code UNSUPPORTED} for an operation the service does not have
     */
    ObjectNode handle(AwsRequest request);

    /** The AWS error name ({@code __type}) clients of this service expect for an error. */
    default String errorType(TributaryException e) {
        return AwsErrors.defaultType(e);
    }
}
