package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.Query;
import io.tributary.auth.Principal;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The time limit stops a query; a full queue refuses more; a queued query can be cancelled before it runs. */
class QueryLimitsTest {
    /** 10^12 rows (sequence stops at 10,000 entries, as Trino's). */
    static final String SLOW = "SELECT sum(a * b * c) FROM UNNEST(sequence(1, 10000)) AS x(a) CROSS JOIN UNNEST(sequence(1, 10000)) AS y(b) "
            + "CROSS JOIN UNNEST(sequence(1, 10000)) AS z(c)";

    @TempDir
    Path dir;

    @Test
    void aQueryPastItsTimeLimitFails() {
        try (SqlStack stack = new SqlStack(dir, 1, 1, Duration.ofMillis(300))) {
            long start = System.nanoTime();
            QueryExecution e = stack.run(SLOW, "default");
            assertThat(e.state()).isEqualTo(QueryState.FAILED);
            assertThat(e.errorCode()).contains(ErrorCode.TIMEOUT.name());
            assertThat(e.stateReason().orElseThrow()).contains("time limit of 300ms").contains("sql.query-timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void theQueueIsBoundedAndQueuedQueriesCanBeCancelled() {
        try (SqlStack stack = new SqlStack(dir, 1, 1, Duration.ofSeconds(30))) {
            Principal p = Principal.anonymous();
            QueryExecution running = stack.service.submit(QuerySubmission.of(SLOW, "default", p));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (stack.service.find(running.id()).orElseThrow().state() == QueryState.QUEUED && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            QueryExecution queued = stack.service.submit(QuerySubmission.of("SELECT 1", "default", p));
            assertThat(stack.service.find(queued.id()).orElseThrow().state()).isEqualTo(QueryState.QUEUED);
            assertThatThrownBy(() -> stack.service.submit(QuerySubmission.of("SELECT 2", "default", p)))
                    .isInstanceOf(TributaryException.class).hasMessageContaining("too many queries")
                    .satisfies(e -> assertThat(((TributaryException) e).code()).isEqualTo(ErrorCode.THROTTLED));
            assertThat(stack.service.cancel(queued.id(), p).state()).isEqualTo(QueryState.CANCELLED);
            assertThat(stack.service.cancel(running.id(), p).state()).isEqualTo(QueryState.CANCELLED);
            assertThat(stack.service.await(running.id(), Duration.ofSeconds(20)).state()).isEqualTo(QueryState.CANCELLED);
            assertThat(stack.service.await(queued.id(), Duration.ofSeconds(5)).state()).isEqualTo(QueryState.CANCELLED);
            assertThat(stack.run("SELECT 3", "default").state()).isEqualTo(QueryState.SUCCEEDED);
        }
    }

    @Test
    void aCancelThatComesBeforeTheEngineStartsIsNotLost() {
        try (SqlStack stack = new SqlStack(dir, 1, 1, Duration.ofSeconds(30))) {
            Query slow = (Query) new SqlParser().createStatement(SLOW);
            long start = System.nanoTime();
            assertThatThrownBy(() -> stack.engine.query(new EngineRequest("q1", "default", t -> { }, Duration.ofSeconds(30), () -> true), slow,
                    new QueryEngine.ResultSink() {
                        @Override
                        public void columns(List<ResultColumn> columns) {}

                        @Override
                        public void row(String[] values) {}
                    })).isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
