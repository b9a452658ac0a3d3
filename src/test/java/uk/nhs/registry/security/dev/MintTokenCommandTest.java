package uk.nhs.registry.security.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jwt.JWTClaimsSet;

class MintTokenCommandTest {

    @TempDir
    static Path tmp;

    static DevMaterial dev;

    @BeforeAll
    static void material() {
        dev = DevMaterial.ensure(tmp.resolve("dev"));
    }

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MintTokenCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsExactlyOneTokenLineWithDefaults() throws Exception {
        Result result = run("--dir", dev.dir().toString());

        assertThat(result.code()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\R");
        assertThat(result.out().lines()).hasSize(1);
        JWTClaimsSet claims = DevTokensTest.verify(dev.jwks(), result.out().strip());
        assertThat(claims.getIssuer()).isEqualTo("urn:appointment-registry:dev-issuer");
        assertThat(claims.getAudience()).containsExactly("https://localhost:8443/fhir");
        assertThat(claims.getSubject()).isEqualTo("dev-client");
        assertThat(claims.getStringClaim("scope")).isEqualTo("patient/appointment.read patient/appointment.write");
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void flagsOverrideDefaults() throws Exception {
        Result result = run("--dir", dev.dir().toString(), "--issuer", "urn:x", "--audience=https://example/fhir",
                "--subject", "alice", "--scope", "patient/appointment.read", "--ttl-seconds", "300");

        assertThat(result.code()).isZero();
        JWTClaimsSet claims = DevTokensTest.verify(dev.jwks(), result.out().strip());
        assertThat(claims.getIssuer()).isEqualTo("urn:x");
        assertThat(claims.getAudience()).containsExactly("https://example/fhir");
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getStringClaim("scope")).isEqualTo("patient/appointment.read");
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void unknownFlagPrintsUsageOnErrAndFails() {
        Result result = run("--dir", dev.dir().toString(), "--bogus", "1");
        assertThat(result.code()).isNotZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("--bogus").contains("usage: mint-token");
    }

    @Test
    void missingValueAndBadTtlFail() {
        assertThat(run("--subject").code()).isEqualTo(MintTokenCommand.USAGE);
        assertThat(run("--dir", dev.dir().toString(), "--ttl-seconds", "soon").code()).isEqualTo(MintTokenCommand.USAGE);
        assertThat(run("--dir", dev.dir().toString(), "--ttl-seconds", "0").code()).isEqualTo(MintTokenCommand.USAGE);
    }

    @Test
    void helpGoesToStdoutAndSucceeds() {
        Result result = run("--help");
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("usage: mint-token");
    }

    @Test
    void missingMaterialFailsWithoutCreatingAny(@TempDir Path empty) {
        Path dir = empty.resolve("nothing-here");
        Result result = run("--dir", dir.toString());
        assertThat(result.code()).isEqualTo(MintTokenCommand.FAILED);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("no development material");
        assertThat(dir).doesNotExist();
    }
}
