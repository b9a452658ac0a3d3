package uk.nhs.registry;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.spi.PropertiesComponent;
import uk.nhs.registry.store.RegistryDatabase;

/**
 * Every configuration key the registry reads, with its default, in one place. Values come from
 * Camel's properties component, so `application.properties`, an external properties file, system
 * properties and environment variables (`registry.http.port` ← `REGISTRY_HTTP_PORT`) all work.
 */
public record RegistrySettings(
        String httpHost,
        int httpPort,
        String baseUrl,
        long maxBodyBytes,
        long idleTimeoutMillis,
        boolean tlsEnabled,
        String keystore,
        String keystorePassword,
        String truststore,
        String truststorePassword,
        String jwtProfile,
        String jwks,
        String jwtIssuer,
        String jwtAudience,
        String scopeClaim,
        String readScope,
        String writeScope,
        long clockSkewSeconds,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        Optional<Path> profilesDir,
        Path devDir,
        String searchTimeZone) {

    public static final String DEV_ISSUER = "urn:appointment-registry:dev-issuer";

    public static RegistrySettings load(PropertiesComponent properties) {
        Reader r = new Reader(properties);
        int httpPort = Integer.parseInt(r.get("registry.http.port", "8443"));
        // Unset: this machine on the port it listens on (so a port moved by REGISTRY_HTTP_PORT moves it too).
        String baseUrl = stripTrailingSlash(r.get("registry.base-url", "https://localhost:" + httpPort + "/fhir"));
        String dbUrl = r.get("registry.db.url", RegistryDatabase.DEFAULT_URL);
        return new RegistrySettings(
                r.get("registry.http.host", "0.0.0.0"),
                httpPort,
                baseUrl,
                Long.parseLong(r.get("registry.http.max-body-bytes", "1048576")),
                Long.parseLong(r.get("registry.http.idle-timeout-ms", "30000")),
                Boolean.parseBoolean(r.get("registry.tls.enabled", "true")),
                r.get("registry.tls.keystore", ""),
                r.get("registry.tls.keystore-password", ""),
                r.get("registry.tls.truststore", ""),
                r.get("registry.tls.truststore-password", ""),
                r.get("registry.jwt.profile", "oauth2"),
                r.get("registry.jwt.jwks", ""),
                r.get("registry.jwt.issuer", DEV_ISSUER),
                r.get("registry.jwt.audience", baseUrl),
                r.get("registry.jwt.scope-claim", "scope"),
                r.get("registry.jwt.read-scope", "patient/appointment.read"),
                r.get("registry.jwt.write-scope", "patient/appointment.write"),
                Long.parseLong(r.get("registry.jwt.clock-skew-seconds", "60")),
                dbUrl,
                r.get("registry.db.user", "sa"),
                r.get("registry.db.password", ""),
                Integer.parseInt(r.get("registry.db.pool-size", String.valueOf(RegistryDatabase.DEFAULT_POOL_SIZE))),
                Optional.of(r.get("registry.validation.profiles-dir", "")).filter(s -> !s.isBlank()).map(Path::of),
                Path.of(r.get("registry.dev.dir", "./data/dev")),
                r.get("registry.search.time-zone", "Europe/London"));
    }

    // Karaf
    /**
     * {@code registry.db.datasource-service}: inside OSGi, an LDAP filter naming a DataSource service
     * the hub publishes (e.g. {@code (osgi.jndi.service.name=registryDS)}), used instead of registry.db.url.
     */
    public static Optional<String> dataSourceService(PropertiesComponent properties) {
        return Optional.of(new Reader(properties).get("registry.db.datasource-service", "")).filter(s -> !s.isBlank());
    }

    /** With no server keystore configured the registry makes and uses development TLS material. */
    public boolean usesDevTls() {
        return keystore.isBlank();
    }

    /** With no JWKS configured the registry trusts its own development signing key. */
    public boolean usesDevJwks() {
        return jwks.isBlank();
    }

    public String httpScheme() {
        return tlsEnabled ? "https" : "http";
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    // Security keys, in a nested record so the main record stays as it is.

    /**
     * The authorisation and hostile-input keys: where an oauth2 token carries the caller's
     * organisation, the optional allow-lists (empty = no restriction), and the longest single value
     * a resource may hold. Certificate subjects are separated by ';' because a distinguished name
     * itself contains commas.
     */
    public record Security(String organisationClaim, java.util.Set<String> allowedOrganisations,
            java.util.List<String> allowedCertificateSubjects, int maxStringLength) {

        public static Security load(PropertiesComponent properties) {
            Reader r = new Reader(properties);
            return new Security(
                    r.get("registry.jwt.organisation-claim", "ods_code"),
                    java.util.Set.copyOf(split(r.get("registry.security.allowed-organisations", ""), ",")),
                    split(r.get("registry.security.allowed-certificate-subjects", ""), ";"),
                    Integer.parseInt(r.get("registry.validation.max-string-length", "10000")));
        }

        private static java.util.List<String> split(String value, String separator) {
            return java.util.Arrays.stream(value.split(java.util.regex.Pattern.quote(separator)))
                    .map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        }
    }

    /**
     * Bounded work (CONTRACT §2): what one request or one client can cost. Repeats and elements
     * are checked before validation; the handshake deadline and connection cap are Jetty's; the
     * longest client X-Request-Id echoed back in X-Correlation-Id.
     */
    public record Limits(int maxRepeats, int maxElements, int maxIssues, long tlsHandshakeTimeoutMillis,
            int maxConnections, int maxCorrelationIdLength) {

        public static Limits load(PropertiesComponent properties) {
            Reader r = new Reader(properties);
            return new Limits(
                    positive(r, "registry.validation.max-repeats", "100"),
                    positive(r, "registry.validation.max-elements", "2000"),
                    positive(r, "registry.outcome.max-issues", "100"),
                    positive(r, "registry.http.tls-handshake-timeout-ms", "5000"),
                    positive(r, "registry.http.max-connections", "500"),
                    positive(r, "registry.http.max-correlation-id-length", "128"));
        }

        private static int positive(Reader r, String key, String fallback) {
            String value = r.get(key, fallback);
            try {
                int parsed = Integer.parseInt(value);
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException(key + " must be a positive whole number; got '" + value + "'");
        }
    }

    /**
     * The medTech flavour (CONTRACT §7): FHIR R4 at [base-r4], served below the listener's /fhir
     * at /fhir/R4. {@code baseUrl} is the absolute URL it is known by (Location headers, fullUrls),
     * as registry.base-url is STU3's. Under the spine token profile the flavour is off whatever
     * {@code registry.r4.enabled} says: Spine's tokens are NHS-only.
     */
    public record R4(boolean enabled, String baseUrl, String searchTimeZone) {

        public static R4 load(PropertiesComponent properties, RegistrySettings settings) {
            Reader r = new Reader(properties);
            boolean enabled = Boolean.parseBoolean(r.get("registry.r4.enabled", "true")) && !"spine".equals(settings.jwtProfile());
            return new R4(enabled,
                    stripTrailingSlash(r.get("registry.r4.base-url", settings.baseUrl() + "/R4")),
                    r.get("registry.r4.search-time-zone", "Pacific/Auckland"));
        }
    }

    private record Reader(PropertiesComponent properties) {
        String get(String key, String fallback) {
            return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(fallback);
        }
    }
}
