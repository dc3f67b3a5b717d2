package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM. SigV4 verification needs each access key's secret
 * itself, so secrets cannot be hashed like passwords; they are encrypted under a master key kept
 * outside the metadata database ({@code <data-dir>/secrets/master.key}, mode 600, or the
 * {@code TRIBUTARY_MASTER_KEY} environment variable).
 *
 * <p>Thread-safe.
 */
public final class SecretCipher {
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(byte[] masterKey) {
        requireNonNull(masterKey, "masterKey is null");
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes (base64 of 32 random bytes), got " + masterKey.length);
        }
        this.key = new SecretKeySpec(masterKey.clone(), "AES");
    }

    /**
     * Loads the master key from the environment value if given, else from the key file, creating
     * the file with a fresh random key (readable by the owner only) on first use.
     */
    public static SecretCipher load(Path keyFile, java.util.Optional<String> environmentValue) {
        if (environmentValue.isPresent()) {
            return new SecretCipher(decodeKey(environmentValue.get(), "TRIBUTARY_MASTER_KEY"));
        }
        try {
            if (Files.exists(keyFile)) {
                return new SecretCipher(decodeKey(Files.readString(keyFile).trim(), keyFile.toString()));
            }
            Files.createDirectories(keyFile.getParent());
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Path temp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            Files.createFile(temp);
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system (Windows): the file inherits the directory's ACL.
            }
            Files.writeString(temp, Base64.getEncoder().encodeToString(fresh) + "\n", StandardOpenOption.WRITE);
            Files.move(temp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new SecretCipher(fresh);
        } catch (IOException e) {
            throw new TributaryException(ErrorCode.STORAGE_FAILURE,
                    "cannot read or create the master key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static byte[] decodeKey(String base64, String source) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT,
                    "the master key in " + source + " is not base64; it must be 32 random bytes in base64");
        }
    }

    public String encrypt(String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new TributaryException(ErrorCode.INTERNAL, "encrypting a secret failed", e);
        }
    }

    public String decrypt(String ciphertext) {
        if (!ciphertext.startsWith(PREFIX)) {
            throw new TributaryException(ErrorCode.INTERNAL, "stored secret has an unknown format");
        }
        try {
            byte[] in = Base64.getDecoder().decode(ciphertext.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(in, IV_BYTES)));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new TributaryException(ErrorCode.INTERNAL,
                    "a stored secret cannot be decrypted: the master key does not match the one it was written with "
                            + "(check TRIBUTARY_MASTER_KEY or <data-dir>/secrets/master.key)", e);
        }
    }

}
