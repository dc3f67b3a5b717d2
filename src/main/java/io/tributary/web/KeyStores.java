package io.tributary.web;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads a listener's key and certificate chain into a {@link KeyStore} from PEM or PKCS#12 files. */
final class KeyStores {
    static final char[] IN_MEMORY_PASSWORD = "tributary".toCharArray();
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1?PRIVATE KEY-----");

    private KeyStores() {}

    static KeyStore load(TlsConfig tls) {
        try {
            if (tls.isPkcs12()) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(tls.certificate())) {
                    ks.load(in, tls.password().orElse("").toCharArray());
                }
                return ks;
            }
            if (tls.privateKey().isEmpty()) {
                throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "TLS certificate " + tls.certificate()
                        + " is PEM but no private key is configured; set server.tls.private-key "
                        + "(or give a .p12/.pfx keystore with server.tls.password)");
            }
            Collection<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(tls.certificate())) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (chain.isEmpty()) {
                throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "no certificate found in " + tls.certificate());
            }
            PrivateKey key = privateKey(Files.readString(tls.privateKey().get()), tls);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("tributary", key, IN_MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT,
                    "cannot load the TLS certificate and key (" + tls + "): " + e.getMessage(), e);
        }
    }

    static char[] keyPassword(TlsConfig tls) {
        return tls.isPkcs12() ? tls.password().orElse("").toCharArray() : IN_MEMORY_PASSWORD;
    }

    private static PrivateKey privateKey(String pem, TlsConfig tls) throws GeneralSecurityException {
        Matcher m = PEM_KEY.matcher(pem);
        if (!m.find()) {
            throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "no PEM private key found in " + tls.privateKey().get());
        }
        String kind = m.group(1) == null ? "" : m.group(1).trim();
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        switch (kind) {
            case "" -> {
                for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "EdDSA"}) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException ignored) {
                        // try the next algorithm
                    }
                }
                throw new TributaryException(ErrorCode.INVALID_ARGUMENT,
                        "the private key in " + tls.privateKey().get() + " is not an RSA, EC or EdDSA PKCS#8 key");
            }
            case "RSA" -> {
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1Rsa(der)));
            }
            default -> throw new TributaryException(ErrorCode.INVALID_ARGUMENT, "the private key in "
                    + tls.privateKey().get() + " is " + kind.toLowerCase(java.util.Locale.ROOT)
                    + "; convert it to unencrypted PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, which the JDK can read. */
    private static byte[] wrapPkcs1Rsa(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octet = der(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octet.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octet, 0, body, version.length + algorithm.length, octet.length);
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int len = content.length;
        byte[] header;
        if (len < 0x80) {
            header = new byte[] {(byte) tag, (byte) len};
        } else if (len < 0x100) {
            header = new byte[] {(byte) tag, (byte) 0x81, (byte) len};
        } else if (len < 0x10000) {
            header = new byte[] {(byte) tag, (byte) 0x82, (byte) (len >> 8), (byte) len};
        } else {
            header = new byte[] {(byte) tag, (byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
        }
        byte[] out = new byte[header.length + len];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(content, 0, out, header.length, len);
        return out;
    }
}
