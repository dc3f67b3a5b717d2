package io.tributary.web;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A listener's certificate: either a PEM certificate chain plus a PEM private key (PKCS#8 or
 * PKCS#1 RSA, unencrypted), or a PKCS#12 keystore ({@code .p12}/{@code .pfx}) with its password.
 *
 * @param certificate PEM chain or PKCS#12 file
 * @param privateKey the PEM key; empty for PKCS#12
 * @param password the PKCS#12 password; empty for PEM
 */
public record TlsConfig(Path certificate, Optional<Path> privateKey, Optional<String> password) {
    public TlsConfig {
        requireNonNull(certificate, "certificate is null");
        requireNonNull(privateKey, "privateKey is null");
        requireNonNull(password, "password is null");
    }

    public boolean isPkcs12() {
        String name = certificate.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return privateKey.isEmpty() && (name.endsWith(".p12") || name.endsWith(".pfx") || name.endsWith(".pkcs12"));
    }

    @Override
    public String toString() {
        return "TlsConfig[certificate=" + certificate + ", privateKey=" + privateKey + ", password=" + (password.isPresent() ? "****" : "none") + "]";
    }
}
