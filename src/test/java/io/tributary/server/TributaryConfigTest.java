package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.DataSize;
import io.tributary.stream.FsyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TributaryConfigTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path file = dir.resolve("tributary.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaultsWithoutAFile() {
        TributaryConfig config = TributaryConfig.load(Optional.empty(), Map.of(), Map.of());
        assertThat(config.settings().integer(ConfigKeys.SERVER_PORT)).isEqualTo(8080);
        assertThat(config.streamLog().fsync()).isEqualTo(FsyncPolicy.ALWAYS);
        assertThat(config.streamLog().retention()).isEqualTo(Duration.ofHours(24));
        assertThat(config.authEnabled()).isTrue();
        assertThat(config.pipeline().streams()).isEmpty();
        assertThat(config.tls()).isEmpty();
    }

    @Test
    void flagsOverrideEnvironmentWhichOverridesTheFile() throws Exception {
        Path file = yaml("""
                server:
                  port: 9000
                stream:
                  fsync: interval
                  segment-size: 64MB
                """);
        TributaryConfig fileOnly = TributaryConfig.load(Optional.of(file), Map.of(), Map.of());
        assertThat(fileOnly.settings().integer(ConfigKeys.SERVER_PORT)).isEqualTo(9000);
        assertThat(fileOnly.streamLog().segmentSize()).isEqualTo(DataSize.ofMegabytes(64));
        TributaryConfig withEnv = TributaryConfig.load(Optional.of(file),
                Map.of("TRIBUTARY_SERVER_PORT", "9100", "TRIBUTARY_STREAM_FSYNC", "never"), Map.of());
        assertThat(withEnv.settings().integer(ConfigKeys.SERVER_PORT)).isEqualTo(9100);
        assertThat(withEnv.streamLog().fsync()).isEqualTo(FsyncPolicy.NEVER);
        TributaryConfig withFlag = TributaryConfig.load(Optional.of(file), Map.of("TRIBUTARY_SERVER_PORT", "9100"),
                Map.of("server.port", "9200"));
        assertThat(withFlag.settings().integer(ConfigKeys.SERVER_PORT)).isEqualTo(9200);
    }

    @Test
    void unknownKeysAreRefusedWithASuggestion() throws Exception {
        Path file = yaml("stream:\n  fsycn: always\n");
        assertThatThrownBy(() -> TributaryConfig.load(Optional.of(file), Map.of(), Map.of()))
                .hasMessageContaining("stream.fsycn").hasMessageContaining("did you mean 'stream.fsync'");
    }

    @Test
    void badValuesNameTheKeyAndWhereTheyCameFrom() throws Exception {
        Path file = yaml("stream:\n  retention: forever\n");
        assertThatThrownBy(() -> TributaryConfig.load(Optional.of(file), Map.of(), Map.of()).streamLog())
                .hasMessageContaining("stream.retention").hasMessageContaining("configuration file").hasMessageContaining("forever");
        assertThatThrownBy(() -> TributaryConfig.load(Optional.empty(), Map.of("TRIBUTARY_SERVER_PORT", "eighty"), Map.of())
                .settings().integer(ConfigKeys.SERVER_PORT))
                .hasMessageContaining("TRIBUTARY_SERVER_PORT");
        assertThatThrownBy(() -> TributaryConfig.load(Optional.empty(), Map.of("TRIBUTARY_STREAM_FSYNC", "sometimes"), Map.of()).streamLog())
                .hasMessageContaining("always, interval or never");
    }

    @Test
    void malformedYamlIsReportedWithTheFileName() throws Exception {
        Path file = yaml("server: [unclosed\n");
        assertThatThrownBy(() -> TributaryConfig.load(Optional.of(file), Map.of(), Map.of())).hasMessageContaining(file.toString());
    }

    @Test
    void readsThePipelineAndAccessKeys() throws Exception {
        Path file = yaml("""
                auth:
                  access-keys:
                    - id: TKIACONFIGKEY00001
                      secret: config-secret-0123456789
                pipeline:
                  streams:
                    - name: retail-trans
                      shards: 2
                    - name: telemetry
                """);
        TributaryConfig config = TributaryConfig.load(Optional.of(file),
                Map.of("TRIBUTARY_ACCESS_KEY_ID", "TKIAENVIRONMENT001", "TRIBUTARY_SECRET_ACCESS_KEY", "env-secret-0123456789"), Map.of());
        assertThat(config.pipeline().streams()).extracting(s -> s.name() + "/" + s.shards())
                .containsExactly("retail-trans/2", "telemetry/1");
        assertThat(config.accessKeys()).extracting(TributaryConfig.DeclaredKey::id, TributaryConfig.DeclaredKey::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("TKIACONFIGKEY00001", "config"),
                        org.assertj.core.groups.Tuple.tuple("TKIAENVIRONMENT001", "environment"));
        assertThat(config.accessKeys().get(0).toString()).doesNotContain("config-secret");
    }

    @Test
    void pipelineMistakesAreNamed() throws Exception {
        assertThatThrownBy(() -> TributaryConfig.load(Optional.of(yaml("pipeline:\n  streams:\n    - name: a\n      shardz: 2\n")), Map.of(), Map.of()))
                .hasMessageContaining("shardz").hasMessageContaining("pipeline.streams[0]");
        assertThatThrownBy(() -> TributaryConfig.load(Optional.of(yaml("pipeline:\n  streams:\n    - name: 'bad name!'\n")), Map.of(), Map.of()))
                .hasMessageContaining("bad name!");
        assertThatThrownBy(() -> TributaryConfig.load(Optional.of(yaml("pipeline:\n  streams:\n    - name: a\n    - name: a\n")), Map.of(), Map.of()))
                .hasMessageContaining("declared twice");
        assertThatThrownBy(() -> TributaryConfig.load(Optional.empty(), Map.of("TRIBUTARY_ACCESS_KEY_ID", "TKIAONLYTHEID00001"), Map.of()))
                .hasMessageContaining("TRIBUTARY_SECRET_ACCESS_KEY");
    }

    @Test
    void everyKeyIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("docs/configuration.md"));
        for (var key : ConfigKeys.all()) {
            assertThat(docs).as("docs/configuration.md documents " + key.name()).contains("`" + key.name() + "`");
            assertThat(docs).as("docs/configuration.md names the variable of " + key.name()).contains(key.environmentVariable());
        }
    }
}
