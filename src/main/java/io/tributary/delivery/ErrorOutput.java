package io.tributary.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;

/**
 * Why a record went to the error output, and the envelope it is written in there: Firehose's
 * {@code {"attemptsMade", "arrivalTimestamp", "errorCode", "errorMessage", "attemptEndingTimestamp",
 * "rawData"}} with the record's bytes in base64, one JSON object per line.
 *
 * @param outputType the value of {@code !{firehose:error-output-type}}
 */
record ErrorOutput(String outputType, String errorCode, String errorMessage) {
    static final String PROCESSING_FAILED = "processing-failed";
    static final String FORMAT_CONVERSION_FAILED = "format-conversion-failed";
    static final String PARTITIONING_FAILED = "partitioning-failed";

    static ErrorOutput processingFailed(String message) {
        return new ErrorOutput(PROCESSING_FAILED, "Processor.ProcessingFailed", message);
    }

    static ErrorOutput conversionFailed(String message) {
        return new ErrorOutput(FORMAT_CONVERSION_FAILED, "DataFormatConversion.MalformedData", message);
    }

    static ErrorOutput partitioningFailed(String code, String message) {
        return new ErrorOutput(PARTITIONING_FAILED, code, message);
    }

    byte[] envelope(long arrivalMillis, Instant attemptEnded, byte[] rawData) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("attemptsMade", 1)
                .put("arrivalTimestamp", arrivalMillis)
                .put("errorCode", errorCode)
                .put("errorMessage", errorMessage)
                .put("attemptEndingTimestamp", attemptEnded.toEpochMilli())
                .put("rawData", Base64.getEncoder().encodeToString(rawData));
        try {
            byte[] json = Json.mapper().writeValueAsBytes(node);
            byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
