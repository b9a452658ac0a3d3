package uk.nhs.registry.security.dev;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * Development TLS and token-signing material, created once under a directory (default
 * {@code ./data/dev}) and reused on every later start.
 *
 * <p>{@link #ensure(Path)} either loads complete material that is already there (changing
 * nothing) or generates a full set into a temporary directory next to the target and then moves
 * it into place: a single atomic rename when the target does not exist or is empty, otherwise
 * file by file with the manifest ({@value #MANIFEST}) moved last. Material counts as complete only
 * when the manifest and every file exist, so a crash never leaves a half set that is mistaken for
 * a whole one; the next start simply generates again.
 *
 * <p>Files (all PKCS12 files use the password {@value #PASSWORD}; files holding private keys are
 * created with POSIX mode 600 where the file system supports it):
 * <ul>
 * <li>{@value #CA_PEM}, {@value #CA_KEY_PEM}: the development CA certificate and its PKCS#8 key</li>
 * <li>{@value #SERVER_P12}: server key + chain (alias {@value #SERVER_ALIAS}), CN=localhost,
 * SAN DNS:localhost, IP:127.0.0.1, IP:::1, serverAuth</li>
 * <li>{@value #TRUSTSTORE_P12}: the CA as trusted entry (alias {@value #CA_ALIAS})</li>
 * <li>{@value #CLIENT_P12}, {@value #CLIENT_PEM}, {@value #CLIENT_KEY_PEM}: client key + chain
 * (alias {@value #CLIENT_ALIAS}), CN=dev-client, O=Appointment Registry Dev, clientAuth</li>
 * <li>{@value #SIGNING_KEY_JWK}, {@value #JWKS_JSON}: RSA 2048 token signing key (private JWK,
 * RS256, kid = RFC 7638 thumbprint) and its public JWK set</li>
 * </ul>
 *
 * <p>Development only: the password is fixed and the CA key sits next to the certificates.
 */
public final class DevMaterial {

    public static final Path DEFAULT_DIR = Path.of("data", "dev");
    public static final String PASSWORD = "changeit";

    public static final String CA_PEM = "ca.pem";
    public static final String CA_KEY_PEM = "ca-key.pem";
    public static final String SERVER_P12 = "server.p12";
    public static final String TRUSTSTORE_P12 = "truststore.p12";
    public static final String CLIENT_P12 = "client.p12";
    public static final String CLIENT_PEM = "client.pem";
    public static final String CLIENT_KEY_PEM = "client-key.pem";
    public static final String SIGNING_KEY_JWK = "signing-key.jwk";
    public static final String JWKS_JSON = "jwks.json";
    /** Written last; its presence (with all other files) marks the material as complete. */
    public static final String MANIFEST = "dev-material.properties";

    public static final String SERVER_ALIAS = "server";
    public static final String CLIENT_ALIAS = "client";
    public static final String CA_ALIAS = "dev-ca";

    public static final String CA_DN = "CN=Appointment Registry Dev CA, O=Appointment Registry Dev";
    public static final String SERVER_DN = "CN=localhost, O=Appointment Registry Dev";
    public static final String CLIENT_DN = "CN=dev-client, O=Appointment Registry Dev";

    /** Every file of a complete set except the manifest. */
    public static final List<String> FILES = List.of(CA_PEM, CA_KEY_PEM, SERVER_P12, TRUSTSTORE_P12,
            CLIENT_P12, CLIENT_PEM, CLIENT_KEY_PEM, SIGNING_KEY_JWK, JWKS_JSON);

    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Duration STALE_TEMP = Duration.ofHours(1);
    private static final Set<String> SECRET_FILES = Set.of(CA_KEY_PEM, SERVER_P12, CLIENT_P12, CLIENT_KEY_PEM,
            SIGNING_KEY_JWK);

    private final Path dir;
    private final boolean createdNow;
    private final X509Certificate caCertificate;
    private final String signingKeyId;

    private DevMaterial(Path dir, boolean createdNow, X509Certificate caCertificate, String signingKeyId) {
        this.dir = dir;
        this.createdNow = createdNow;
        this.caCertificate = caCertificate;
        this.signingKeyId = signingKeyId;
    }

    /**
     * Loads the material in {@code dir} if it is complete, otherwise generates it. Synchronised
     * within the JVM; concurrent processes racing on the same directory end up sharing whichever
     * set was installed first.
     *
     * @throws UncheckedIOException  if files cannot be written or read
     * @throws IllegalStateException if complete-looking material cannot be parsed (delete the
     *                               directory to regenerate)
     */
    public static synchronized DevMaterial ensure(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        if (isComplete(target)) {
            return read(target, false);
        }
        try {
            Path parent = target.getParent();
            Files.createDirectories(parent);
            String tempPrefix = "." + target.getFileName() + ".tmp-";
            removeStaleTemporaries(parent, tempPrefix);
            Path temp = Files.createTempDirectory(parent, tempPrefix);
            boolean installed;
            try {
                generate(temp);
                installed = install(temp, target);
            } finally {
                deleteRecursively(temp);
            }
            if (!isComplete(target)) {
                throw new IllegalStateException("development material in " + target + " is incomplete after install");
            }
            return read(target, installed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create development material in " + target, e);
        }
    }

    /** Loads complete material without ever generating any. */
    public static DevMaterial load(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        if (!isComplete(target)) {
            throw new IllegalStateException("no complete development material in " + target);
        }
        return read(target, false);
    }

    /** True when {@code dir} holds the manifest and every file of {@link #FILES}. */
    public static boolean isComplete(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            return false;
        }
        return FILES.stream().allMatch(name -> Files.isRegularFile(dir.resolve(name)));
    }

    // ---- accessors ------------------------------------------------------------------------

    public Path dir() {
        return dir;
    }

    public boolean createdNow() {
        return createdNow;
    }

    /** A fresh copy of the PKCS12 password each call. */
    public char[] password() {
        return PASSWORD.toCharArray();
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** The {@code kid} of the token signing key (also in {@link #jwks()}). */
    public String signingKeyId() {
        return signingKeyId;
    }

    public Path caPem() {
        return dir.resolve(CA_PEM);
    }

    public Path caKeyPem() {
        return dir.resolve(CA_KEY_PEM);
    }

    public Path serverKeystore() {
        return dir.resolve(SERVER_P12);
    }

    public Path truststore() {
        return dir.resolve(TRUSTSTORE_P12);
    }

    public Path clientKeystore() {
        return dir.resolve(CLIENT_P12);
    }

    public Path clientCertPem() {
        return dir.resolve(CLIENT_PEM);
    }

    public Path clientKeyPem() {
        return dir.resolve(CLIENT_KEY_PEM);
    }

    public Path signingKeyJwk() {
        return dir.resolve(SIGNING_KEY_JWK);
    }

    public Path jwks() {
        return dir.resolve(JWKS_JSON);
    }

    public Path manifest() {
        return dir.resolve(MANIFEST);
    }

    @Override
    public String toString() {
        return "DevMaterial[" + dir + (createdNow ? ", created now" : "") + "]";
    }

    // ---- reading --------------------------------------------------------------------------

    private static DevMaterial read(Path dir, boolean createdNow) {
        try {
            Properties manifest = new Properties();
            manifest.load(new StringReader(Files.readString(dir.resolve(MANIFEST), StandardCharsets.UTF_8)));
            X509Certificate ca = DevPki.readCertificatePem(dir.resolve(CA_PEM));
            String kid = manifest.getProperty("signingKeyId");
            if (kid == null) {
                kid = JWKSet.load(dir.resolve(JWKS_JSON).toFile()).getKeys().get(0).getKeyID();
            }
            return new DevMaterial(dir, createdNow, ca, kid);
        } catch (IOException | java.text.ParseException | RuntimeException e) {
            throw new IllegalStateException("development material in " + dir
                    + " cannot be read; delete the directory to have it generated again", e);
        }
    }

    // ---- generating -----------------------------------------------------------------------

    private static void generate(Path into) throws IOException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant notBefore = now.minus(CLOCK_SKEW);
        Instant caNotAfter = now.atOffset(ZoneOffset.UTC).plusYears(10).toInstant();
        Instant leafNotAfter = now.atOffset(ZoneOffset.UTC).plusYears(2).toInstant();
        char[] password = PASSWORD.toCharArray();

        KeyPair caKeys = DevPki.rsaKeyPair();
        X509Certificate ca = DevPki.selfSignedCa(caKeys, CA_DN, notBefore, caNotAfter);

        KeyPair serverKeys = DevPki.rsaKeyPair();
        X509Certificate server = DevPki.issueServer(ca, caKeys.getPrivate(), serverKeys.getPublic(), SERVER_DN,
                List.of("localhost"), List.of("127.0.0.1", "::1"), notBefore, leafNotAfter);

        KeyPair clientKeys = DevPki.rsaKeyPair();
        X509Certificate client = DevPki.issueClient(ca, caKeys.getPrivate(), clientKeys.getPublic(), CLIENT_DN,
                notBefore, leafNotAfter);

        KeyPair signingKeys = DevPki.rsaKeyPair();
        RSAKey signingKey;
        try {
            signingKey = new RSAKey.Builder((RSAPublicKey) signingKeys.getPublic())
                    .privateKey(signingKeys.getPrivate())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint()
                    .build();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot compute the signing key thumbprint", e);
        }

        write(into, CA_PEM, DevPki.pem(ca));
        write(into, CA_KEY_PEM, DevPki.pem(caKeys.getPrivate()));
        write(into, SERVER_P12, DevPki.pkcs12(SERVER_ALIAS, serverKeys.getPrivate(),
                new X509Certificate[] {server, ca}, password));
        write(into, TRUSTSTORE_P12, DevPki.pkcs12Trust(CA_ALIAS, ca, password));
        write(into, CLIENT_P12, DevPki.pkcs12(CLIENT_ALIAS, clientKeys.getPrivate(),
                new X509Certificate[] {client, ca}, password));
        write(into, CLIENT_PEM, DevPki.pem(client));
        write(into, CLIENT_KEY_PEM, DevPki.pem(clientKeys.getPrivate()));
        write(into, SIGNING_KEY_JWK, signingKey.toJSONString() + "\n");
        write(into, JWKS_JSON, new JWKSet(signingKey.toPublicJWK()).toString(true) + "\n");

        Properties manifest = new Properties();
        manifest.setProperty("created", now.toString());
        manifest.setProperty("signingKeyId", signingKey.getKeyID());
        manifest.setProperty("caSubject", ca.getSubjectX500Principal().getName());
        manifest.setProperty("caSerial", ca.getSerialNumber().toString(16));
        manifest.setProperty("caNotAfter", caNotAfter.toString());
        manifest.setProperty("leafNotAfter", leafNotAfter.toString());
        manifest.setProperty("password", PASSWORD);
        manifest.setProperty("files", String.join(",", FILES));
        StringWriter text = new StringWriter();
        manifest.store(text, "Appointment Registry development material - DEVELOPMENT ONLY, do not use in production");
        write(into, MANIFEST, text.toString());
    }

    private static void write(Path dir, String name, String content) throws IOException {
        write(dir, name, content.getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(Path dir, String name, byte[] content) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] attributes = posix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        SECRET_FILES.contains(name) ? "rw-------" : "rw-r--r--"))}
                : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(dir.resolve(name), options, attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    // ---- installing -----------------------------------------------------------------------

    /**
     * Moves the generated set from {@code temp} into {@code target}. Returns false when another
     * process installed complete material first (ours is then discarded).
     */
    private static boolean install(Path temp, Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS) || isEmptyDirectory(target)) {
            try {
                // rename(2) replaces an empty directory atomically on POSIX
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (IOException e) {
                if (isComplete(target)) {
                    return false;
                }
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                // e.g. a mount point or a non-POSIX file system: fall back to moving file by file
            }
        }
        if (isComplete(target)) {
            return false;
        }
        Files.deleteIfExists(target.resolve(MANIFEST));
        for (String name : FILES) {
            Files.move(temp.resolve(name), target.resolve(name),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(temp.resolve(MANIFEST), target.resolve(MANIFEST),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Leftovers of a crashed generation, old enough not to belong to a process still running. */
    private static void removeStaleTemporaries(Path parent, String prefix) {
        FileTime cutoff = FileTime.from(Instant.now().minus(STALE_TEMP));
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path candidate : stream) {
                if (Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(candidate, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0) {
                    deleteRecursively(candidate);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort only
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
