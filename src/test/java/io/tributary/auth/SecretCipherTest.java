package io.tributary.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAndNeverStoresTheSecretInClear() {
        SecretCipher cipher = SecretCipher.load(dir.resolve("secrets/master.key"), Optional.empty());
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        String sealed = cipher.encrypt(secret);
        assertThat(sealed).doesNotContain(secret).startsWith("v1:");
        assertThat(cipher.encrypt(secret)).as("a fresh IV each time").isNotEqualTo(sealed);
        assertThat(cipher.decrypt(sealed)).isEqualTo(secret);
    }

    @Test
    void keyFileIsCreatedOwnerOnlyAndReusedAcrossRestarts() throws Exception {
        Path keyFile = dir.resolve("secrets/master.key");
        String sealed = SecretCipher.load(keyFile, Optional.empty()).encrypt("s3cr3t-value-1234");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(SecretCipher.load(keyFile, Optional.empty()).decrypt(sealed)).isEqualTo("s3cr3t-value-1234");
    }

    @Test
    void aDifferentMasterKeyCannotDecryptAndSaysWhatToCheck() {
        String sealed = SecretCipher.load(dir.resolve("a.key"), Optional.empty()).encrypt("secret-value-123456");
        SecretCipher other = new SecretCipher(new byte[32]);
        assertThatThrownBy(() -> other.decrypt(sealed)).hasMessageContaining("TRIBUTARY_MASTER_KEY");
        assertThatThrownBy(() -> other.decrypt(sealed.substring(0, sealed.length() - 4) + "AAAA")).hasMessageContaining("master key");
    }

    @Test
    void masterKeyFromTheEnvironmentMustBe32Base64Bytes() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(SecretCipher.load(dir.resolve("unused.key"), Optional.of(key)).decrypt(
                new SecretCipher(new byte[32]).encrypt("abc"))).isEqualTo("abc");
        assertThat(Files.exists(dir.resolve("unused.key"))).isFalse();
        assertThatThrownBy(() -> SecretCipher.load(dir.resolve("x"), Optional.of("not base64 !!"))).hasMessageContaining("base64");
        assertThatThrownBy(() -> SecretCipher.load(dir.resolve("x"), Optional.of(Base64.getEncoder().encodeToString(new byte[16]))))
                .hasMessageContaining("32 bytes");
    }
}
