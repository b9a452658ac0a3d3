package uk.nhs.registry.security;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.testsupport.Responses.assertOutcome;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.nhs.registry.RegistrySettings;
import uk.nhs.registry.security.dev.DevTokens;
import uk.nhs.registry.testsupport.AuditRows;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * The oauth2 profile under attack: every forged, stale, misdirected or under-scoped token is
 * refused with 403 on a register, nothing is stored, and the audit trail records a refusal,
 * never a success.
 */
@Timeout(60)
class OAuth2TokenAttackIT {

    private static final String WRITE = "patient/appointment.write";
    private final RunningRegistry registry = SharedRegistry.get();

    static Stream<Arguments> attacks() {
        return Stream.of(
                attack("alg none", (RunningRegistry r) -> new PlainJWT(claims(r).build()).serialize()),
                attack("HS256 keyed with the RSA public key (key confusion)", OAuth2TokenAttackIT::hmacWithPublicKey),
                attack("signature stripped", (RunningRegistry r) -> {
                    String token = sign(r, claims(r).build());
                    return token.substring(0, token.lastIndexOf('.') + 1);
                }),
                attack("expired", (RunningRegistry r) -> sign(r, times(claims(r), -1200, -1200, -600).build())),
                attack("not yet valid", (RunningRegistry r) -> sign(r, times(claims(r), 0, 600, 1200).build())),
                attack("issued in the future", (RunningRegistry r) -> sign(r, times(claims(r), 600, 0, 1200).build())),
                attack("wrong issuer", (RunningRegistry r) -> sign(r, claims(r).issuer("urn:someone-else").build())),
                attack("wrong audience", (RunningRegistry r) -> sign(r, claims(r).audience("https://elsewhere/fhir").build())),
                attack("no audience", (RunningRegistry r) -> sign(r, claims(r).audience((String) null).build())),
                attack("unknown kid", (RunningRegistry r) -> DevTokens.sign(freshKey("unknown-" + UUID.randomUUID()), claims(r).build())),
                attack("known kid, wrong key", (RunningRegistry r) -> DevTokens.sign(freshKey(devKey(r).getKeyID()), claims(r).build())),
                attack("tampered payload", OAuth2TokenAttackIT::tamperedScope),
                attack("missing scope", (RunningRegistry r) -> sign(r, claims(r).claim("scope", null).build())),
                attack("read scope used to write", (RunningRegistry r) -> sign(r, claims(r).claim("scope", "patient/appointment.read").build())),
                attack("no subject", (RunningRegistry r) -> sign(r, claims(r).subject(null).build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void isRefusedAndLeavesNoTrace(String name, Function<RunningRegistry, String> forge) {
        String marker = "urn:uuid:" + UUID.randomUUID();
        String requestId = "attack-" + UUID.randomUUID();
        HttpResponse<String> response = registry.send(registry.request("/Appointment")
                .header("Authorization", "Bearer " + forge.apply(registry))
                .header("X-Request-Id", requestId)
                .header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(800), marker,
                        Instant.now().plus(1, ChronoUnit.DAYS))))).build());

        assertOutcome(response, 403, "forbidden", "ACCESS DENIED");
        assertThat(AuditRows.appointmentsWithIdentifier(registry, marker)).isZero();
        List<Map<String, Object>> audit = AuditRows.ofRequest(registry, requestId);
        assertThat(audit).singleElement().satisfies(row -> {
            assertThat(row.get("outcome_status")).isEqualTo(403);
            assertThat(row.get("spine_code")).isEqualTo("ACCESS DENIED");
            assertThat(row.get("interaction")).isEqualTo("create");
            assertThat(row.get("appointment_id")).isNull();
        });
    }

    private static Arguments attack(String name, Function<RunningRegistry, String> forge) {
        return Arguments.of(name, forge);
    }

    /** Claims the registry would accept, for a write. */
    private static JWTClaimsSet.Builder claims(RunningRegistry registry) {
        return times(new JWTClaimsSet.Builder()
                .issuer(RegistrySettings.DEV_ISSUER)
                .subject("attacker")
                .audience(registry.baseUrl())
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", WRITE), 0, 0, 300);
    }

    /** Sets iat, nbf and exp as offsets in seconds from now. */
    private static JWTClaimsSet.Builder times(JWTClaimsSet.Builder claims, long iat, long nbf, long exp) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return claims.issueTime(Date.from(now.plusSeconds(iat))).notBeforeTime(Date.from(now.plusSeconds(nbf)))
                .expirationTime(Date.from(now.plusSeconds(exp)));
    }

    private static RSAKey devKey(RunningRegistry registry) {
        return DevTokens.readSigningKey(registry.dev().signingKeyJwk());
    }

    private static String sign(RunningRegistry registry, JWTClaimsSet claims) {
        return DevTokens.sign(devKey(registry), claims);
    }

    private static RSAKey freshKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic confusion: HMAC with the verifier's public key bytes as the shared secret. */
    private static String hmacWithPublicKey(RunningRegistry registry) {
        RSAKey key = devKey(registry);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims(registry).build());
            jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A genuinely signed read-only token whose payload is swapped for one granting write. */
    private static String tamperedScope(RunningRegistry registry) {
        String genuine = sign(registry, claims(registry).claim("scope", "patient/appointment.read").build());
        String[] parts = genuine.split("\\.");
        String forged = Base64URL.encode(claims(registry).build().toString()).toString();
        return parts[0] + "." + forged + "." + parts[2];
    }

}
