package io.tributary.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashesWithArgon2idAndVerifies() {
        String hash = hasher.hash("correct horse battery staple");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct horse");
        assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
        assertThat(hasher.verify("correct horse battery stapl", hash)).isFalse();
        assertThat(hasher.hash("same")).as("salted").isNotEqualTo(hasher.hash("same"));
    }

    @Test
    void matchesAnIndependentArgon2idVector() {
        // From the Argon2 reference implementation's test vectors (argon2id, v=19, m=65536, t=2, p=1,
        // password "password", salt "somesalt"), as printed by `argon2 somesalt -id -t 2 -m 16 -p 1`.
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(hasher.verify("password", reference)).isTrue();
        assertThat(hasher.verify("passwore", reference)).isFalse();
    }

    @Test
    void rejectsMalformedOrWeakStoredHashesWithoutThrowing() {
        for (String stored : new String[] {"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
                "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=x,t=2,p=1$$", "$argon2id$v=19$q=1$a$b"}) {
            assertThat(hasher.verify("x", stored)).isFalse();
        }
    }
}
