package uk.nhs.registry.security.dev;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Copy-paste-able instructions for calling a registry that runs on development material.
 */
public final class DevInstructions {

    public static final String EXAMPLE_PATIENT_IDENTIFIER = "https://fhir.nhs.uk/Id/nhs-number|9434765919";
    /**
     * The identifier as it goes into the URL: '|' is not a legal URI character (RFC 3986) and curl
     * sends it raw, which java.net.URI-based servers reject with 400, so it is sent as %7C.
     */
    static final String EXAMPLE_PATIENT_IDENTIFIER_IN_URL = EXAMPLE_PATIENT_IDENTIFIER.replace("|", "%7C");
    public static final String JAR = "target/appointment-registry.jar";

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private DevInstructions() {
    }

    /**
     * Shell (POSIX sh/bash/zsh) commands: a curl for {@code <base>/metadata}, a curl searching
     * {@code <base>/Appointment} by patient identifier (the '|' percent-encoded), and how to mint more tokens. Paths are
     * absolute and every argument is quoted where needed. When {@code token} is null the commands
     * use {@code $TOKEN} and a first line sets it by minting one.
     */
    public static String curlExample(DevMaterial m, String baseUrl, String token) {
        return curlExample(m, baseUrl, baseUrl, token);
    }

    /**
     * As {@link #curlExample(DevMaterial, String, String)}, for a registry whose tokens must carry
     * {@code audience}: the mint-token line names it unless it is mint-token's own default, so a
     * token minted by the printed line is accepted on a moved port or base URL too.
     */
    public static String curlExample(DevMaterial m, String baseUrl, String audience, String token) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        String mint = "java -jar " + JAR + " mint-token --dir " + quote(abs(m.dir()));
        if (!MintTokenCommand.DEFAULT_AUDIENCE.equals(audience)) {
            mint += " --audience " + quote(audience);
        }
        String authorization = token == null
                ? "\"Authorization: Bearer $TOKEN\""
                : quote("Authorization: Bearer " + token);
        String tls = "--cert " + quote(abs(m.clientCertPem()))
                + " --key " + quote(abs(m.clientKeyPem()))
                + " --cacert " + quote(abs(m.caPem()));

        StringBuilder text = new StringBuilder();
        text.append("# Development material: ").append(abs(m.dir())).append(" (PKCS12 password: ")
                .append(DevMaterial.PASSWORD).append(")\n");
        if (token == null) {
            text.append("TOKEN=\"$(").append(mint).append(")\"\n");
        }
        text.append("# Capability statement:\n");
        text.append("curl ").append(tls).append(" \\\n")
                .append("  -H ").append(authorization).append(" -H 'Accept: application/fhir+json' \\\n")
                .append("  ").append(quote(base + "/metadata")).append('\n');
        text.append("# Appointments of a patient:\n");
        text.append("curl ").append(tls).append(" \\\n")
                .append("  -H ").append(authorization).append(" -H 'Accept: application/fhir+json' \\\n")
                .append("  ").append(quote(base + "/Appointment?patient.identifier=" + EXAMPLE_PATIENT_IDENTIFIER_IN_URL))
                .append('\n');
        text.append("# More tokens (default 1 hour; see --help for --scope, --subject, --ttl-seconds ...):\n");
        text.append(mint).append('\n');
        return text.toString();
    }

    private static String abs(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    /** POSIX shell quoting: bare when harmless, otherwise single quotes ({@code '} as {@code '\''}). */
    static String quote(String value) {
        if (!value.isEmpty() && SHELL_SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
