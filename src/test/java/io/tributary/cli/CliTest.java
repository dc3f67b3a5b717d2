package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.testing.ForkedJvm;
import io.tributary.testing.ForkedJvm.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI as a user runs it: a separate JVM, credentials from the environment, exit codes that mean something. */
class CliTest extends CliServerTest {
    @Test
    void streamsPutGenerateAndTail() throws Exception {
        Result create = ForkedJvm.run(env, "", "streams", "create", "cli-stream", "--shards", "2");
        assertThat(create.exitCode()).as(create.stderr()).isZero();
        Result put = ForkedJvm.run(env, "{\"a\":1}\n{\"a\":2}\n", "put", "cli-stream", "--key-field", "a");
        assertThat(put.exitCode()).as(put.stderr()).isZero();
        assertThat(put.stdout().lines()).hasSize(2).allMatch(l -> l.startsWith("shardId-"));
        Result generate = ForkedJvm.run(env, "", "generate", "retail", "--stream", "cli-stream", "--count", "1200",
                "--rate", "100000/s", "--seed", "11");
        assertThat(generate.exitCode()).as(generate.stderr()).isZero();
        assertThat(generate.stdout()).contains("1200 accepted, 0 failed");
        Result list = ForkedJvm.run(env, "", "streams", "list");
        assertThat(list.stdout()).contains("cli-stream").contains("1202");
        Result tail = ForkedJvm.run(env, "", "streams", "tail", "cli-stream", "--shard", "0", "--limit", "3");
        assertThat(tail.exitCode()).isZero();
        assertThat(tail.stdout().lines()).hasSize(3);
    }

    @Test
    void applyIsIdempotent() throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, "pipeline:\n  streams:\n    - name: applied-cli\n      shards: 1\n");
        assertThat(ForkedJvm.run(env, "", "apply", "-f", file.toString()).stdout()).contains("CREATED");
        assertThat(ForkedJvm.run(env, "", "apply", "-f", file.toString()).stdout()).contains("UNCHANGED");
    }

    @Test
    void exitCodesMeanSomething() throws Exception {
        assertThat(ForkedJvm.run(env, "", "streams", "describe", "nope").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        Result badName = ForkedJvm.run(env, "", "streams", "create", "bad name");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.INVALID);
        assertThat(badName.stderr()).contains("bad name");
        Result unauthenticated = ForkedJvm.run(Map.of("TRIBUTARY_SERVER", server.uri().toString()), "", "streams", "list");
        assertThat(unauthenticated.exitCode()).isEqualTo(ExitCodes.DENIED);
        Result wrongSecret = ForkedJvm.run(Map.of("TRIBUTARY_SERVER", server.uri().toString(),
                "TRIBUTARY_ACCESS_KEY_ID", server.adminKey().accessKeyId(), "TRIBUTARY_SECRET_ACCESS_KEY", "wrong-secret-0000000000"), "",
                "streams", "list");
        assertThat(wrongSecret.exitCode()).isEqualTo(ExitCodes.DENIED);
        Result unreachable = ForkedJvm.run(env, "", "streams", "list", "--server", "http://127.0.0.1:1");
        assertThat(unreachable.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(unreachable.stderr()).contains("cannot reach Tributary");
        Result usage = ForkedJvm.run(env, "", "streams", "create");
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.stderr()).contains("NAME");
        Result badRate = ForkedJvm.run(env, "", "generate", "retail", "--rate", "fast");
        assertThat(badRate.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badRate.stderr()).contains("1000/s");
        Result portInUse = ForkedJvm.run(Map.of(), "", "server", "--no-auth", "--data-dir", dir.resolve("second").toString(),
                "--port", Integer.toString(server.uri().getPort()), "--search-port", "0");
        assertThat(portInUse.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(portInUse.stderr()).contains("port is in use").contains(":" + server.uri().getPort()).doesNotContain("\tat ");
        Result help = ForkedJvm.run(env, "", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("server").contains("demo").contains("streams").contains("generate").contains("bench");
    }
}
