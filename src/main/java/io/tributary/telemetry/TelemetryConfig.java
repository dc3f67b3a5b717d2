package io.tributary.telemetry;

import static java.util.Objects.requireNonNull;

/**
 * The governance pipeline built from Tributary parts: {@code POST /telemetry} stamps the gateway hop
 * and appends to {@code gatewayStream}; the converter stamps its hop and appends to
 * {@code convertedStream}, which an archiver delivery stream reads. Hop field names default to the
 * governance platform's, so latency-legs with its default legs measures this pipeline.
 */
public record TelemetryConfig(String gatewayStream, String convertedStream, String gatewayField, String converterField, int shards) {
    public static final String GATEWAY_FIELD = "RG_GOV_IMS_API_Gateway_timestamp";
    public static final String CONVERTER_FIELD = "RG_GOV_IMS_Converter_timestamp";
    public static final String ARCHIVER_FIELD = "RG_GOV_IMS_Archiver_timestamp";

    public TelemetryConfig {
        requireNonNull(gatewayStream, "gatewayStream is null");
        requireNonNull(convertedStream, "convertedStream is null");
        requireNonNull(gatewayField, "gatewayField is null");
        requireNonNull(converterField, "converterField is null");
        if (gatewayStream.equals(convertedStream)) {
            throw new IllegalArgumentException("the gateway and converted streams must differ");
        }
    }

    public static TelemetryConfig defaults() {
        return new TelemetryConfig("telemetry-gateway", "telemetry-converted", GATEWAY_FIELD, CONVERTER_FIELD, 2);
    }
}
