package io.tributary.web;

/** How a listener writes errors: each protocol answers in the shape its clients parse. */
public enum ErrorFormat {
    /** {@code {"error": {"code", "message"}}}, and AWS's shape for AWS JSON-protocol requests (the main API). */
    TRIBUTARY,
    /**
     * OpenSearch's {@code {"error": {"root_cause", "type", "reason"}, "status"}}, with
     * {@code WWW-Authenticate} on 401 so HTTP clients answer the Basic challenge (the search API).
     */
    OPENSEARCH,
}
