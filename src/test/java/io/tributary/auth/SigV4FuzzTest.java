package io.tributary.auth;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Whatever an Authorization header, date or query holds, verification refuses with an AuthenticationException. */
class SigV4FuzzTest {
    private final SigV4Verifier verifier = new SigV4Verifier(Clock.systemUTC());

    @FuzzTest(maxDuration = "30s")
    void authorizationHeaders(FuzzedDataProvider data) {
        String authorization = (data.consumeBoolean() ? "AWS4-HMAC-SHA256 " : "") + data.consumeString(400);
        String date = data.consumeString(30);
        String query = data.consumeString(200);
        byte[] body = data.consumeRemainingAsBytes();
        RequestView view = new RequestView("POST", "/", query,
                Map.of("Authorization", List.of(authorization), "X-Amz-Date", List.of(date), "Host", List.of("localhost:8080")),
                () -> body, false);
        try {
            verifier.verify(view, id -> Optional.of("secret-secret-secret-0000"));
        } catch (AuthenticationException expected) {
            // refused, with a reason
        }
    }
}
