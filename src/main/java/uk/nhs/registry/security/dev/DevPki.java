package uk.nhs.registry.security.dev;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Small certificate toolbox for development material: RSA 2048 keys, certificates signed with
 * SHA256withRSA, PEM and PKCS12 encoding. Uses BouncyCastle only to build and encode; keys,
 * certificates and key stores are plain JDK objects, so no JCA provider is registered.
 *
 * <p>Public so that test support can issue further certificates (expired, not yet valid, other
 * CAs) with the same profile as the real development material. Not for production use.
 */
public final class DevPki {

    public static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    public static final int RSA_BITS = 2048;

    private static final SecureRandom RANDOM = new SecureRandom();

    private DevPki() {
    }

    public static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key pair", e);
        }
    }

    /** A self-signed CA certificate: CA:true (critical, path length 0), keyCertSign + cRLSign. */
    public static X509Certificate selfSignedCa(KeyPair keyPair, String subjectDn, Instant notBefore, Instant notAfter) {
        try {
            X500Name subject = name(subjectDn);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, serial(), Date.from(notBefore), Date.from(notAfter), subject, keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keyPair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(keyPair.getPublic()));
            return sign(builder, keyPair.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    /**
     * A TLS server certificate: CA:false, digitalSignature + keyEncipherment, serverAuth, and a
     * subjectAltName with the given DNS names and IP addresses (literals such as 127.0.0.1, ::1).
     */
    public static X509Certificate issueServer(X509Certificate ca, PrivateKey caKey, PublicKey subjectKey,
            String subjectDn, List<String> dnsNames, List<String> ipAddresses, Instant notBefore, Instant notAfter) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return issueLeaf(ca, caKey, subjectKey, subjectDn, notBefore, notAfter,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment, KeyPurposeId.id_kp_serverAuth,
                names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new)));
    }

    /** A TLS client certificate: CA:false, digitalSignature, clientAuth, no subjectAltName. */
    public static X509Certificate issueClient(X509Certificate ca, PrivateKey caKey, PublicKey subjectKey,
            String subjectDn, Instant notBefore, Instant notAfter) {
        return issueLeaf(ca, caKey, subjectKey, subjectDn, notBefore, notAfter,
                KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth, null);
    }

    private static X509Certificate issueLeaf(X509Certificate ca, PrivateKey caKey, PublicKey subjectKey,
            String subjectDn, Instant notBefore, Instant notAfter, int keyUsage, KeyPurposeId purpose,
            GeneralNames subjectAltNames) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    ca, serial(), Date.from(notBefore), Date.from(notAfter), name(subjectDn), subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
            if (subjectAltNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            }
            return sign(builder, caKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the certificate for " + subjectDn, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey);
            X509CertificateHolder holder = builder.build(signer);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /**
     * Parses a DN the way the JDK does (RFC 2253: most specific RDN first in the string, last in
     * the encoding), so {@code getSubjectX500Principal().getName()} gives the string back and
     * openssl shows the conventional order.
     */
    private static X500Name name(String dn) {
        return X500Name.getInstance(new X500Principal(dn).getEncoded());
    }

    /** Positive, non-zero, 127 bits: well inside the 20 octets RFC 5280 allows. */
    private static BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(127, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    // ---- PEM ------------------------------------------------------------------------------

    /** One or more certificates as concatenated "CERTIFICATE" PEM blocks. */
    public static String pem(X509Certificate... certificates) {
        try {
            StringWriter out = new StringWriter();
            try (PemWriter writer = new PemWriter(out)) {
                for (X509Certificate certificate : certificates) {
                    writer.writeObject(new PemObject("CERTIFICATE", certificate.getEncoded()));
                }
            }
            return out.toString();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    /** An unencrypted PKCS#8 "PRIVATE KEY" PEM block (what curl and openssl expect). */
    public static String pem(PrivateKey key) {
        if (!"PKCS#8".equalsIgnoreCase(key.getFormat())) {
            throw new IllegalArgumentException("expected a PKCS#8 encodable key, got " + key.getFormat());
        }
        try {
            StringWriter out = new StringWriter();
            try (PemWriter writer = new PemWriter(out)) {
                writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
            }
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode private key", e);
        }
    }

    public static X509Certificate readCertificatePem(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            throw new IOException("not a PEM certificate: " + file, e);
        }
    }

    /** Reads an unencrypted PKCS#8 "PRIVATE KEY" PEM file holding an RSA key. */
    public static PrivateKey readPrivateKeyPem(Path file) throws IOException {
        try (PemReader reader = new PemReader(new StringReader(Files.readString(file)))) {
            PemObject object = reader.readPemObject();
            if (object == null || !"PRIVATE KEY".equals(object.getType())) {
                throw new IOException("not a PKCS#8 PRIVATE KEY PEM file: " + file);
            }
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(object.getContent()));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot decode private key in " + file, e);
        }
    }

    // ---- PKCS12 ---------------------------------------------------------------------------

    /** A PKCS12 key store with one private key entry (key + chain, leaf first). */
    public static byte[] pkcs12(String alias, PrivateKey key, X509Certificate[] chain, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key, password, chain);
            return encode(store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build PKCS12 key store", e);
        }
    }

    /** A PKCS12 trust store with one trusted certificate entry. */
    public static byte[] pkcs12Trust(String alias, X509Certificate certificate, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(alias, certificate);
            return encode(store, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build PKCS12 trust store", e);
        }
    }

    private static byte[] encode(KeyStore store, char[] password) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, password);
        return out.toByteArray();
    }

    public static KeyStore loadPkcs12(Path file, char[] password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(Files.readAllBytes(file)), password);
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load PKCS12 " + file, e);
        }
    }
}
