package io.tributary.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tributary.aws.AwsCodec;
import io.tributary.aws.AwsJsonService;
import io.tributary.aws.AwsRequest;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /} with {@code X-Amz-Target}: the AWS JSON-protocol services (Kinesis, Firehose,
 * Athena) share one endpoint, as on AWS each has its own host but the same protocol.
 */
final class AwsEndpoint implements Routes {
    private final Map<String, AwsJsonService> services;

    AwsEndpoint(Map<String, AwsJsonService> services) {
        this.services = Map.copyOf(requireNonNull(services, "services is null"));
    }

    @Override
    public void register(Javalin app) {
        app.post("/", this::handle);
    }

    private void handle(Context ctx) {
        String target = Optional.ofNullable(ctx.header("X-Amz-Target")).orElseThrow(() -> new TributaryException(
                ErrorCode.UNSUPPORTED, "POST / needs an X-Amz-Target header naming the operation, such as Kinesis_20131202.PutRecords"));
        int dot = target.indexOf('.');
        AwsJsonService service = dot > 0 ? services.get(target.substring(0, dot)) : null;
        if (service == null) {
            throw new TributaryException(ErrorCode.UNSUPPORTED, "unknown X-Amz-Target '" + target
                    + "'; this server speaks " + String.join(", ", services.keySet()));
        }
        AwsCodec codec = AwsCodec.forContentType(Optional.ofNullable(ctx.contentType()));
        ObjectNode body = codec.parse(ctx.bodyAsBytes());
        ObjectNode response = service.handle(new AwsRequest(target.substring(dot + 1), body, codec, Requests.principal(ctx)));
        ctx.header("x-amzn-RequestId", UUID.randomUUID().toString());
        ctx.status(200).contentType(codec.contentType()).result(codec.write(response));
    }
}
