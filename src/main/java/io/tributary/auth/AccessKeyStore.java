package io.tributary.auth;

import static java.util.Objects.requireNonNull;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.metadata.MetadataStore;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * API access keys with their secrets encrypted at rest. Active keys are cached in memory with
 * their decrypted secrets, because every signed request needs one.
 *
 * <p>Thread-safe. The cache is loaded at construction and kept in step with changes made through
 * this instance; servers sharing one PostgreSQL store would need a refresh (not needed while the
 * metadata store is per server).
 */
public final class AccessKeyStore {
    private static final Pattern ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final char[] ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final MetadataStore store;
    private final SecretCipher cipher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Active> active = new ConcurrentHashMap<>();

    private record Active(String owner, String secret) {}

    public AccessKeyStore(MetadataStore store, SecretCipher cipher, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
        this.clock = requireNonNull(clock, "clock is null");
        reload();
    }

    private void reload() {
        Map<String, Active> loaded = store.transaction(c -> {
            Map<String, Active> keys = new ConcurrentHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, owner, secret_ciphertext FROM access_keys WHERE revoked_at IS NULL");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.put(rs.getString(1), new Active(rs.getString(2), cipher.decrypt(rs.getString(3))));
                }
            }
            return keys;
        });
        active.clear();
        active.putAll(loaded);
    }

    public static String validateId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw TributaryException.invalidArgument(
                    "access key id must be 16 to 128 characters from A-Z and 0-9");
        }
        return id;
    }

    /** Creates a key with a fresh id and secret for an existing user; the secret is returned only here. */
    public AccessKey.WithSecret create(String owner, String description) {
        String id = "TKIA" + randomString(ID_ALPHABET, 16);
        String secret = randomString(SECRET_ALPHABET, 40);
        return new AccessKey.WithSecret(insert(id, secret, owner, description, "api"), secret);
    }

    /**
     * Makes a key declared outside the store (config file or environment) usable, idempotently:
     * an existing key with the same id and secret is left alone; with another secret it is updated.
     */
    public AccessKey declare(String id, String secret, String owner, String source) {
        validateId(id);
        if (secret == null || secret.length() < 16 || secret.length() > 128) {
            throw TributaryException.invalidArgument("the secret of access key %s must be 16 to 128 characters", id);
        }
        Optional<AccessKey> existing = find(id);
        if (existing.isPresent()) {
            Active current = active.get(id);
            if (current == null || !current.secret().equals(secret) || !current.owner().equals(owner)) {
                store.run(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE access_keys SET secret_ciphertext = ?, owner = ?, revoked_at = NULL, source = ? WHERE id = ?")) {
                        ps.setString(1, cipher.encrypt(secret));
                        ps.setString(2, owner);
                        ps.setString(3, source);
                        ps.setString(4, id);
                        ps.executeUpdate();
                    }
                });
                active.put(id, new Active(owner, secret));
            }
            return find(id).orElseThrow();
        }
        return insert(id, secret, owner, "declared in " + source, source);
    }

    private AccessKey insert(String id, String secret, String owner, String description, String source) {
        if (description.length() > 256) {
            throw TributaryException.invalidArgument("an access key description must be at most 256 characters");
        }
        Instant now = clock.instant();
        store.run(c -> {
            try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM users WHERE name = ?")) {
                check.setString(1, owner);
                try (ResultSet rs = check.executeQuery()) {
                    if (!rs.next()) {
                        throw TributaryException.notFound("user '%s' does not exist; create the user before giving it keys", owner);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO access_keys "
                    + "(id, owner, secret_ciphertext, description, source, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, owner);
                ps.setString(3, cipher.encrypt(secret));
                ps.setString(4, description);
                ps.setString(5, source);
                ps.setLong(6, now.toEpochMilli());
                ps.executeUpdate();
            }
        });
        active.put(id, new Active(owner, secret));
        return new AccessKey(id, owner, description, source, now, Optional.empty());
    }

    /** The secret of an active key, for signature verification. */
    public Optional<String> secret(String id) {
        Active key = active.get(id);
        return key == null ? Optional.empty() : Optional.of(key.secret());
    }

    /** The owner of an active key. */
    public Optional<String> owner(String id) {
        Active key = active.get(id);
        return key == null ? Optional.empty() : Optional.of(key.owner());
    }

    public Optional<AccessKey> find(String id) {
        return list().stream().filter(k -> k.id().equals(id)).findFirst();
    }

    public List<AccessKey> list() {
        return store.transaction(c -> {
            List<AccessKey> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, owner, description, source, created_at, revoked_at FROM access_keys ORDER BY created_at, id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long revoked = rs.getLong(6);
                    boolean active = rs.wasNull();
                    keys.add(new AccessKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)),
                            active ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revoked))));
                }
            }
            return keys;
        });
    }

    public void revoke(String id) {
        store.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE access_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, clock.millis());
                ps.setString(2, id);
                if (ps.executeUpdate() == 0) {
                    throw new TributaryException(ErrorCode.NOT_FOUND, "access key '" + id + "' does not exist or is already revoked");
                }
            }
        });
        active.remove(id);
    }

    private String randomString(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
