package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import uk.nhs.registry.RegistrySettings;
import uk.nhs.registry.security.Access;
import uk.nhs.registry.security.Caller;
import uk.nhs.registry.security.OAuth2TokenVerifier;
import uk.nhs.registry.security.dev.DevMaterial;
import uk.nhs.registry.security.dev.DevTokens;

/** The oauth2 token check of every request: RS256 signature, issuer, audience, times, scope. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class TokenCheckBenchmark {

    private static final String AUDIENCE = "https://localhost:8443/fhir";

    private OAuth2TokenVerifier verifier;
    private String token;

    @Setup
    public void setUp() throws IOException {
        DevMaterial dev = DevMaterial.ensure(Files.createTempDirectory("token-benchmark").resolve("dev"));
        verifier = new OAuth2TokenVerifier(dev.jwks().toString(), RegistrySettings.DEV_ISSUER, AUDIENCE, "scope",
                "patient/appointment.read", "patient/appointment.write", 60);
        token = DevTokens.mint(dev.signingKeyJwk(), RegistrySettings.DEV_ISSUER, AUDIENCE, "benchmark",
                "patient/appointment.read patient/appointment.write", Duration.ofHours(2));
    }

    @Benchmark
    public Caller verifyWriteToken() {
        return verifier.verify(token, Access.WRITE, "CN=dev-client, O=Appointment Registry Dev");
    }
}
