package uk.nhs.registry.security.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

class DevTokensTest {

    @TempDir
    static Path tmp;

    static DevMaterial dev;

    @BeforeAll
    static void material() {
        dev = DevMaterial.ensure(tmp.resolve("dev"));
    }

    static JWTClaimsSet verify(String token) throws Exception {
        return verify(dev.jwks(), token);
    }

    /** Verifies as a resource server would: RS256 only, keys from the JWKS file. */
    static JWTClaimsSet verify(Path jwks, String token) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(JWKSet.load(jwks.toFile()))));
        return processor.process(token, null);
    }

    @Test
    void mintedTokenVerifiesAgainstTheJwksAndCarriesTheClaims() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String token = DevTokens.mint(dev.signingKeyJwk(), "urn:test:issuer", "https://localhost:8443/fhir",
                "someone", "patient/appointment.read patient/appointment.write", Duration.ofMinutes(5));

        JWTClaimsSet claims = verify(token);

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(dev.signingKeyId());
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(claims.getIssuer()).isEqualTo("urn:test:issuer");
        assertThat(claims.getSubject()).isEqualTo("someone");
        assertThat(claims.getAudience()).containsExactly("https://localhost:8443/fhir");
        assertThat(claims.getStringClaim("scope")).isEqualTo("patient/appointment.read patient/appointment.write");
        assertThat(claims.getJWTID()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        Instant iat = claims.getIssueTime().toInstant();
        assertThat(iat).isBetween(before, Instant.now());
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(iat);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(iat.plus(Duration.ofMinutes(5)));
    }

    @Test
    void everyTokenHasItsOwnJti() throws Exception {
        String a = DevTokens.mint(dev.signingKeyJwk(), "i", "a", "s", "x", Duration.ofMinutes(1));
        String b = DevTokens.mint(dev.signingKeyJwk(), "i", "a", "s", "x", Duration.ofMinutes(1));
        assertThat(verify(a).getJWTID()).isNotEqualTo(verify(b).getJWTID());
    }

    @Test
    void blankScopeIsOmitted() throws Exception {
        String token = DevTokens.mint(dev.signingKeyJwk(), "i", "a", "s", " ", Duration.ofMinutes(1));
        assertThat(verify(token).getClaims()).doesNotContainKey("scope");
    }

    @Test
    void arbitraryClaimsCanBeSignedForNegativeTests() throws Exception {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        String expired = DevTokens.sign(dev.signingKeyJwk(), new JWTClaimsSet.Builder().issuer("i").subject("s")
                .issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(60))).build());
        assertThatThrownBy(() -> verify(expired)).isInstanceOf(BadJOSEException.class).hasMessageContaining("xpired");
    }

    @Test
    void tokenFromAnotherKeyDoesNotVerify(@TempDir Path other) {
        DevMaterial stranger = DevMaterial.ensure(other);
        String token = DevTokens.mint(stranger.signingKeyJwk(), "i", "a", "s", "x", Duration.ofMinutes(1));
        assertThatThrownBy(() -> verify(token)).isInstanceOf(BadJOSEException.class);
    }

    @Test
    void publicJwksCannotSign() {
        assertThatThrownBy(() -> DevTokens.mint(dev.jwks(), "i", "a", "s", "x", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
