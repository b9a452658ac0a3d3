package uk.nhs.registry.security.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

@Timeout(120)
class DevMaterialTest {

    @TempDir
    static Path shared;

    static DevMaterial dev;

    @BeforeAll
    static void create() {
        dev = DevMaterial.ensure(shared.resolve("data").resolve("dev"));
    }

    @Test
    void createsEverythingOnceAndThenReusesItUnchanged() throws Exception {
        assertThat(dev.createdNow()).isTrue();
        assertThat(DevMaterial.isComplete(dev.dir())).isTrue();
        for (Path p : List.of(dev.caPem(), dev.caKeyPem(), dev.serverKeystore(), dev.truststore(), dev.clientKeystore(),
                dev.clientCertPem(), dev.clientKeyPem(), dev.signingKeyJwk(), dev.jwks(), dev.manifest())) {
            assertThat(p).isRegularFile().startsWith(dev.dir());
        }
        Map<String, byte[]> before = snapshot(dev.dir());
        Map<String, Object> timesBefore = modificationTimes(dev.dir());

        DevMaterial again = DevMaterial.ensure(dev.dir());

        assertThat(again.createdNow()).isFalse();
        assertThat(again.dir()).isEqualTo(dev.dir());
        assertThat(again.caCertificate()).isEqualTo(dev.caCertificate());
        assertThat(again.signingKeyId()).isEqualTo(dev.signingKeyId());
        Map<String, byte[]> after = snapshot(dev.dir());
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
        assertThat(modificationTimes(dev.dir())).isEqualTo(timesBefore);
        assertThat(DevMaterial.load(dev.dir()).createdNow()).isFalse();
    }

    @Test
    void leavesNoTemporaryDirectoryBehind() throws IOException {
        try (Stream<Path> siblings = Files.list(dev.dir().getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("dev");
        }
    }

    @Test
    void fileNamesAndPassword() {
        assertThat(dev.password()).containsExactly("changeit".toCharArray());
        assertThat(dev.caPem().getFileName()).hasToString("ca.pem");
        assertThat(dev.caKeyPem().getFileName()).hasToString("ca-key.pem");
        assertThat(dev.serverKeystore().getFileName()).hasToString("server.p12");
        assertThat(dev.truststore().getFileName()).hasToString("truststore.p12");
        assertThat(dev.clientKeystore().getFileName()).hasToString("client.p12");
        assertThat(dev.clientCertPem().getFileName()).hasToString("client.pem");
        assertThat(dev.clientKeyPem().getFileName()).hasToString("client-key.pem");
        assertThat(dev.signingKeyJwk().getFileName()).hasToString("signing-key.jwk");
        assertThat(dev.jwks().getFileName()).hasToString("jwks.json");
    }

    @Test
    void privateKeysAreOwnerOnly() throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        for (Path secret : List.of(dev.caKeyPem(), dev.clientKeyPem(), dev.signingKeyJwk(), dev.serverKeystore(),
                dev.clientKeystore())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).as(secret.toString())
                    .isEqualTo("rw-------");
        }
        assertThat(Files.getPosixFilePermissions(dev.caPem())).doesNotContain(
                java.nio.file.attribute.PosixFilePermission.GROUP_WRITE,
                java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
    }

    @Test
    void caIsSelfSignedCaWithKeyCertSign() throws Exception {
        X509Certificate ca = dev.caCertificate();
        assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
        assertThat(ca.getSubjectX500Principal().getName()).contains("CN=Appointment Registry Dev CA");
        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19"); // basicConstraints critical
        assertThat(ca.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(9 * 365)));
        assertThat(ca.getNotBefore().toInstant()).isBefore(Instant.now().minus(Duration.ofMinutes(1)));
        assertThat(DevPki.readCertificatePem(dev.caPem())).isEqualTo(ca);
    }

    @Test
    void serverKeystoreHoldsLocalhostCertificateChainedToTheCa() throws Exception {
        KeyStore store = DevPki.loadPkcs12(dev.serverKeystore(), dev.password());
        assertThat(Collections.list(store.aliases())).containsExactly(DevMaterial.SERVER_ALIAS);
        assertThat(store.getKey(DevMaterial.SERVER_ALIAS, dev.password())).isInstanceOf(PrivateKey.class);
        X509Certificate[] chain = chain(store, DevMaterial.SERVER_ALIAS);
        assertThat(chain).hasSize(2);
        assertThat(chain[1]).isEqualTo(dev.caCertificate());
        X509Certificate server = chain[0];
        validate(server);
        assertThat(server.getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        List<String> sans = new ArrayList<>();
        for (List<?> san : server.getSubjectAlternativeNames()) {
            int type = (Integer) san.get(0);
            String value = (String) san.get(1);
            sans.add(type == 7 ? "IP:" + InetAddress.getByName(value).getHostAddress() : "DNS:" + value);
        }
        assertThat(sans).containsExactlyInAnyOrder("DNS:localhost", "IP:127.0.0.1",
                "IP:" + InetAddress.getByName("::1").getHostAddress());
        Duration validity = Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant());
        assertThat(validity).isBetween(Duration.ofDays(729), Duration.ofDays(732));
        assertKeyMatches((PrivateKey) store.getKey(DevMaterial.SERVER_ALIAS, dev.password()), server);
    }

    @Test
    void clientCertificateChainsToTheCaAsP12AndPem() throws Exception {
        KeyStore store = DevPki.loadPkcs12(dev.clientKeystore(), dev.password());
        assertThat(Collections.list(store.aliases())).containsExactly(DevMaterial.CLIENT_ALIAS);
        X509Certificate[] chain = chain(store, DevMaterial.CLIENT_ALIAS);
        X509Certificate client = chain[0];
        validate(client);
        assertThat(chain[1]).isEqualTo(dev.caCertificate());
        assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=dev-client,O=Appointment Registry Dev");
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(client.getBasicConstraints()).isEqualTo(-1);

        assertThat(Files.readString(dev.clientCertPem())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(dev.clientKeyPem())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(DevPki.readCertificatePem(dev.clientCertPem())).isEqualTo(client);
        PrivateKey pemKey = DevPki.readPrivateKeyPem(dev.clientKeyPem());
        assertThat(pemKey.getEncoded()).isEqualTo(store.getKey(DevMaterial.CLIENT_ALIAS, dev.password()).getEncoded());
        assertKeyMatches(pemKey, client);
    }

    @Test
    void caKeyPemSignsForTheCa() throws Exception {
        assertKeyMatches(DevPki.readPrivateKeyPem(dev.caKeyPem()), dev.caCertificate());
    }

    @Test
    void truststoreHoldsOnlyTheCaAsTrustedEntry() throws Exception {
        KeyStore store = DevPki.loadPkcs12(dev.truststore(), dev.password());
        assertThat(Collections.list(store.aliases())).containsExactly(DevMaterial.CA_ALIAS);
        assertThat(store.isCertificateEntry(DevMaterial.CA_ALIAS)).isTrue();
        assertThat(store.getCertificate(DevMaterial.CA_ALIAS)).isEqualTo(dev.caCertificate());
    }

    @Test
    void wrongPasswordIsRejected() {
        assertThatThrownBy(() -> DevPki.loadPkcs12(dev.serverKeystore(), "wrong".toCharArray()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void signingKeyIsPrivateRsaJwkWithKidAndJwksIsPublicOnly() throws Exception {
        JWK jwk = JWK.parse(Files.readString(dev.signingKeyJwk()));
        assertThat(jwk).isInstanceOf(RSAKey.class);
        assertThat(jwk.isPrivate()).isTrue();
        assertThat(jwk.getKeyID()).isNotBlank().isEqualTo(dev.signingKeyId());
        assertThat(((RSAKey) jwk).size()).isEqualTo(2048);

        JWKSet jwks = JWKSet.load(dev.jwks().toFile());
        assertThat(jwks.getKeys()).hasSize(1);
        JWK published = jwks.getKeys().get(0);
        assertThat(published.isPrivate()).isFalse();
        assertThat(published.getKeyID()).isEqualTo(jwk.getKeyID());
        assertThat(Files.readString(dev.jwks())).doesNotContain("\"d\"", "\"p\"", "\"q\"");
    }

    @Test
    void incompleteMaterialIsRegenerated(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("dev");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(DevMaterial.CA_PEM), "half written garbage");
        Files.writeString(dir.resolve("operator-notes.txt"), "keep me");

        DevMaterial material = DevMaterial.ensure(dir);

        assertThat(material.createdNow()).isTrue();
        assertThat(DevMaterial.isComplete(dir)).isTrue();
        assertThat(Files.readString(dir.resolve(DevMaterial.CA_PEM))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(dir.resolve("operator-notes.txt")).hasContent("keep me");
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("dev");
        }
    }

    @Test
    void materialWithoutManifestCountsAsIncomplete(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("dev");
        DevMaterial first = DevMaterial.ensure(dir);
        Files.delete(first.manifest());
        assertThat(DevMaterial.isComplete(dir)).isFalse();
        assertThatThrownBy(() -> DevMaterial.load(dir)).isInstanceOf(IllegalStateException.class);

        DevMaterial second = DevMaterial.ensure(dir);

        assertThat(second.createdNow()).isTrue();
        assertThat(second.caCertificate()).isNotEqualTo(first.caCertificate());
    }

    @Test
    void emptyExistingDirectoryIsFilled(@TempDir Path tmp) {
        DevMaterial material = DevMaterial.ensure(tmp);
        assertThat(material.createdNow()).isTrue();
        assertThat(DevMaterial.isComplete(tmp)).isTrue();
    }

    @Test
    void concurrentCallersShareOneSet(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("nested").resolve("dev");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Callable<DevMaterial> call = () -> DevMaterial.ensure(dir);
            List<Future<DevMaterial>> results = pool.invokeAll(List.of(call, call, call));
            List<DevMaterial> materials = new ArrayList<>();
            for (Future<DevMaterial> result : results) {
                materials.add(result.get());
            }
            assertThat(materials).filteredOn(DevMaterial::createdNow).hasSize(1);
            assertThat(materials).extracting(DevMaterial::caCertificate).containsOnly(materials.get(0).caCertificate());
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private static X509Certificate[] chain(KeyStore store, String alias) throws Exception {
        return Stream.of(store.getCertificateChain(alias)).map(X509Certificate.class::cast)
                .toArray(X509Certificate[]::new);
    }

    private static void validate(X509Certificate leaf) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(dev.caCertificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
        leaf.verify(dev.caCertificate().getPublicKey());
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(dev.caCertificate().getSubjectX500Principal());
    }

    private static void assertKeyMatches(PrivateKey key, X509Certificate certificate) throws Exception {
        byte[] data = "proof".getBytes();
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
    }

    private static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static Map<String, Object> modificationTimes(Path dir) throws IOException {
        Map<String, Object> times = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                times.put(p.getFileName().toString(), Files.getLastModifiedTime(p));
            }
        }
        times.put(".", Files.getLastModifiedTime(dir));
        return times;
    }
}
