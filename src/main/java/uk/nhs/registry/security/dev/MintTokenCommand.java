package uk.nhs.registry.security.dev;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code mint-token}: prints one development access token (and nothing else) on stdout, signed
 * with the signing key of existing development material. Never generates material: start the
 * registry once (or call {@link DevMaterial#ensure(Path)}) first.
 *
 * <pre>
 * java -cp target/appointment-registry.jar uk.nhs.registry.security.dev.MintTokenCommand \
 *     [--dir ./data/dev] [--issuer I] [--audience A] [--subject S] \
 *     [--scope "patient/appointment.read patient/appointment.write"] [--ttl-seconds 3600]
 * </pre>
 */
public final class MintTokenCommand {

    public static final String DEFAULT_ISSUER = "urn:appointment-registry:dev-issuer";
    public static final String DEFAULT_AUDIENCE = "https://localhost:8443/fhir";
    public static final String DEFAULT_SUBJECT = "dev-client";
    public static final String DEFAULT_SCOPE = "patient/appointment.read patient/appointment.write";
    public static final long DEFAULT_TTL_SECONDS = 3600;

    /** Exit codes of {@link #run}. */
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    public static final String USAGE_TEXT = """
            usage: mint-token [--dir DIR] [--issuer ISS] [--audience AUD] [--subject SUB]
                              [--scope "SCOPE ..."] [--ttl-seconds N]
              --dir          development material directory     (default ./data/dev)
              --issuer       iss claim                          (default %s)
              --audience     aud claim                          (default %s)
              --subject      sub claim                          (default %s)
              --scope        space-separated scopes, "" for none (default "%s")
              --ttl-seconds  lifetime in seconds, > 0           (default %d)
            Prints one RS256 token on stdout.
            """.formatted(DEFAULT_ISSUER, DEFAULT_AUDIENCE, DEFAULT_SUBJECT, DEFAULT_SCOPE, DEFAULT_TTL_SECONDS);

    private MintTokenCommand() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        if (code != OK) {
            System.exit(code);
        }
    }

    /** Runs the command; returns {@link #OK}, {@link #FAILED} or {@link #USAGE}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--dir", DevMaterial.DEFAULT_DIR.toString());
        options.put("--issuer", DEFAULT_ISSUER);
        options.put("--audience", DEFAULT_AUDIENCE);
        options.put("--subject", DEFAULT_SUBJECT);
        options.put("--scope", DEFAULT_SCOPE);
        options.put("--ttl-seconds", Long.toString(DEFAULT_TTL_SECONDS));

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.print(USAGE_TEXT);
                return OK;
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                value = null;
            }
            if (!options.containsKey(name)) {
                return usage(err, "unknown argument: " + arg);
            }
            if (value == null) {
                return usage(err, "missing value for " + name);
            }
            options.put(name, value);
        }

        long ttlSeconds;
        try {
            ttlSeconds = Long.parseLong(options.get("--ttl-seconds"));
        } catch (NumberFormatException e) {
            return usage(err, "--ttl-seconds must be a whole number of seconds");
        }
        if (ttlSeconds <= 0) {
            return usage(err, "--ttl-seconds must be positive");
        }
        for (String required : new String[] {"--issuer", "--audience", "--subject"}) {
            if (options.get(required).isBlank()) {
                return usage(err, required + " must not be empty");
            }
        }

        Path dir = Path.of(options.get("--dir"));
        try {
            if (!DevMaterial.isComplete(dir.toAbsolutePath().normalize())) {
                err.println("mint-token: no development material in " + dir.toAbsolutePath().normalize()
                        + " (start the registry without a keystore once to create it, or pass --dir)");
                return FAILED;
            }
            DevMaterial material = DevMaterial.load(dir);
            String token = DevTokens.mint(material.signingKeyJwk(), options.get("--issuer"),
                    options.get("--audience"), options.get("--subject"), options.get("--scope"),
                    Duration.ofSeconds(ttlSeconds));
            out.println(token);
            out.flush();
            return OK;
        } catch (RuntimeException e) {
            err.println("mint-token: " + e.getMessage());
            return FAILED;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("mint-token: " + problem);
        err.print(USAGE_TEXT);
        err.flush();
        return USAGE;
    }
}
