package io.tributary.sql.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryLeftoversTest {
    @TempDir
    Path dir;

    private Path file(String name, Duration age) throws Exception {
        Path p = Files.write(dir.resolve(name), new byte[1024]);
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(age)));
        return p;
    }

    @Test
    void removesOnlyOldCopiesOfTheLibrary() throws Exception {
        Path old = file("libduckdb_java8912749812734.so", Duration.ofHours(3));
        Path negative = file("libduckdb_java-8912749812734.so", Duration.ofHours(3));
        Path fresh = file("libduckdb_java1234.so", Duration.ofMinutes(1));
        Path other = file("libsomething_else123.so", Duration.ofHours(3));
        Path lookalike = file("libduckdb_java123.so.keep", Duration.ofHours(3));
        Files.createDirectory(dir.resolve("libduckdb_java999.so"));

        int deleted = NativeLibraryLeftovers.sweep(dir, Instant.now().minus(NativeLibraryLeftovers.MIN_AGE));

        assertThat(deleted).isEqualTo(2);
        assertThat(old).doesNotExist();
        assertThat(negative).doesNotExist();
        assertThat(fresh).exists();
        assertThat(other).exists();
        assertThat(lookalike).exists();
        assertThat(dir.resolve("libduckdb_java999.so")).isDirectory();
    }

    @Test
    void aMissingDirectoryIsNotAnError() {
        assertThat(NativeLibraryLeftovers.sweep(dir.resolve("absent"), Instant.now())).isZero();
    }
}
