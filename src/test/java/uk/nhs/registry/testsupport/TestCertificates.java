package uk.nhs.registry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import uk.nhs.registry.security.dev.DevMaterial;
import uk.nhs.registry.security.dev.DevPki;

/**
 * Client certificates and TLS contexts for tests of the HTTP layer. All PKCS12 files written here
 * use the development password {@link DevMaterial#PASSWORD}, alias {@link #CLIENT_ALIAS}.
 */
public final class TestCertificates {

    public static final String CLIENT_ALIAS = "client";
    public static final String UNTRUSTED_CA_PEM = "untrusted-ca.pem";
    public static final String UNTRUSTED_CLIENT_P12 = "untrusted-client.p12";
    public static final String EXPIRED_CLIENT_P12 = "expired-client.p12";
    public static final String NOT_YET_VALID_CLIENT_P12 = "not-yet-valid-client.p12";

    private TestCertificates() {
    }

    public static char[] password() {
        return DevMaterial.PASSWORD.toCharArray();
    }

    /**
     * A fresh CA that nobody trusts ({@value #UNTRUSTED_CA_PEM}) and a currently valid client
     * certificate it issued (CN=untrusted-client, clientAuth), as {@value #UNTRUSTED_CLIENT_P12}
     * in {@code dir}. Returns the PKCS12 path.
     */
    public static Path untrustedClientKeystore(Path dir) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        KeyPair caKeys = DevPki.rsaKeyPair();
        X509Certificate ca = DevPki.selfSignedCa(caKeys, "CN=Untrusted Test CA, O=Somebody Else", now.minus(Duration.ofMinutes(5)),
                now.plus(Duration.ofDays(365)));
        write(dir.resolve(UNTRUSTED_CA_PEM), DevPki.pem(ca).getBytes());
        return clientKeystore(dir.resolve(UNTRUSTED_CLIENT_P12), ca, caKeys.getPrivate(),
                "CN=untrusted-client, O=Somebody Else", now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(30)));
    }

    /** A client certificate issued by the dev CA whose notAfter is a day in the past. */
    public static Path expiredClientKeystore(DevMaterial dev, Path dir) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return devClientKeystore(dev, dir.resolve(EXPIRED_CLIENT_P12), "CN=expired-client, O=Appointment Registry Dev",
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    }

    /** A client certificate issued by the dev CA whose notBefore is a day in the future. */
    public static Path notYetValidClientKeystore(DevMaterial dev, Path dir) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return devClientKeystore(dev, dir.resolve(NOT_YET_VALID_CLIENT_P12),
                "CN=not-yet-valid-client, O=Appointment Registry Dev", now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)));
    }

    /** Any client certificate issued by the dev CA (read from ca.pem / ca-key.pem), as PKCS12. */
    public static Path devClientKeystore(DevMaterial dev, Path p12, String subjectDn, Instant notBefore,
            Instant notAfter) {
        try {
            X509Certificate ca = DevPki.readCertificatePem(dev.caPem());
            PrivateKey caKey = DevPki.readPrivateKeyPem(dev.caKeyPem());
            return clientKeystore(p12, ca, caKey, subjectDn, notBefore, notAfter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path clientKeystore(Path p12, X509Certificate ca, PrivateKey caKey, String subjectDn,
            Instant notBefore, Instant notAfter) {
        KeyPair keys = DevPki.rsaKeyPair();
        X509Certificate cert = DevPki.issueClient(ca, caKey, keys.getPublic(), subjectDn, notBefore, notAfter);
        write(p12, DevPki.pkcs12(CLIENT_ALIAS, keys.getPrivate(), new X509Certificate[] {cert, ca}, password()));
        return p12;
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A client TLS context (TLS 1.2/1.3) for {@code java.net.http.HttpClient} or sockets.
     *
     * <p>{@code p12} may be null for "no client certificate". When given, its key is ALWAYS
     * presented, whatever CAs the server asks for (as curl does) - so a server that wrongly
     * accepted an untrusted or expired certificate would be caught. The JDK default would silently
     * send no certificate instead when the issuer does not match.
     *
     * <p>The server is trusted through {@code truststoreP12} (normally the dev truststore.p12).
     */
    public static SSLContext clientContext(Path p12, char[] password, Path truststoreP12, char[] trustPassword) {
        try {
            KeyManager[] keyManagers = null;
            if (p12 != null) {
                KeyStore store = DevPki.loadPkcs12(p12, password);
                String alias = singleKeyAlias(store, p12);
                PrivateKey key = (PrivateKey) store.getKey(alias, password);
                X509Certificate[] chain = Arrays.stream(store.getCertificateChain(alias))
                        .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
                keyManagers = new KeyManager[] {new AlwaysPresent(alias, key, chain)};
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers(truststoreP12, trustPassword), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build client SSLContext", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A server TLS context from the dev material: server.p12 as key, truststore.p12 for client
     * certificates. Callers still need {@code setNeedClientAuth(true)} on socket/engine.
     */
    public static SSLContext serverContext(DevMaterial dev) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(DevPki.loadPkcs12(dev.serverKeystore(), dev.password()), dev.password());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), trustManagers(dev.truststore(), dev.password()), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build server SSLContext", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static javax.net.ssl.TrustManager[] trustManagers(Path truststoreP12, char[] password)
            throws GeneralSecurityException, IOException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(DevPki.loadPkcs12(truststoreP12, password));
        return tmf.getTrustManagers();
    }

    private static String singleKeyAlias(KeyStore store, Path p12) throws GeneralSecurityException {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return alias;
            }
        }
        throw new IllegalArgumentException(p12 + " holds no private key entry");
    }

    /** Presents one key whenever its type is acceptable, ignoring the server's issuer list. */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final String alias;
        private final PrivateKey key;
        private final X509Certificate[] chain;
        private final String keyAlgorithm;

        AlwaysPresent(String alias, PrivateKey key, X509Certificate[] chain) {
            this.alias = alias;
            this.key = key;
            this.chain = chain;
            this.keyAlgorithm = key.getAlgorithm();
        }

        private String choose(String[] keyTypes) {
            return keyTypes != null && Arrays.asList(keyTypes).contains(keyAlgorithm) ? alias : null;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return choose(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return choose(keyTypes);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keyAlgorithm.equals(keyType) ? new String[] {alias} : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String requested) {
            return alias.equals(requested) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String requested) {
            return alias.equals(requested) ? key : null;
        }
    }
}
