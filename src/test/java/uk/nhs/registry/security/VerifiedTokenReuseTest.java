package uk.nhs.registry.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.outcome.ForbiddenException;

/**
 * A token verified once is taken again without a second signature check, but never past its
 * expiry, never for a text that differs from it, and never for longer than the cache's age limit.
 */
class VerifiedTokenReuseTest {

    private static final String ISSUER = "https://issuer.example";
    private static final String AUDIENCE = "https://registry.example/fhir";
    private static RSAKey key;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final OAuth2TokenVerifier verifier = new OAuth2TokenVerifier(new ImmutableJWKSet<>(new JWKSet(key)),
            ISSUER, AUDIENCE, "scope", "patient/appointment.read", "patient/appointment.write", 60, null, clock);

    @BeforeAll
    static void key() throws JOSEException {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
    }

    @Test
    void theSameTokenIsAcceptedAgainAndNamesTheSameCaller() throws JOSEException {
        String token = token(300);
        Caller first = verifier.verify(token, Access.WRITE, null);
        Caller second = verifier.verify(token, Access.WRITE, null);
        assertThat(second.subject()).isEqualTo(first.subject()).isEqualTo("client-1");
    }

    @Test
    void aTokenAcceptedOnceIsRefusedOnceItHasExpired() throws JOSEException {
        String token = token(300);
        verifier.verify(token, Access.WRITE, null);
        clock.advance(Duration.ofSeconds(300 + 61));
        assertThatThrownBy(() -> verifier.verify(token, Access.WRITE, null))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("expired");
    }

    @Test
    void theScopeIsCheckedOnEveryUse() throws JOSEException {
        String token = token(300);
        verifier.verify(token, Access.WRITE, null);
        assertThat(verifier.verify(token, Access.READ, null).subject()).isEqualTo("client-1");
        String readOnly = sign(claims(300).claim("scope", "patient/appointment.read").build());
        verifier.verify(readOnly, Access.READ, null);
        assertThatThrownBy(() -> verifier.verify(readOnly, Access.WRITE, null)).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void aTamperedCopyOfAnAcceptedTokenIsRefused() throws JOSEException {
        String token = token(300);
        verifier.verify(token, Access.WRITE, null);
        String[] parts = token.split("\\.");
        String otherPayload = sign(claims(300).subject("someone-else").build()).split("\\.")[1];
        String tampered = parts[0] + "." + otherPayload + "." + parts[2];
        assertThatThrownBy(() -> verifier.verify(tampered, Access.WRITE, null)).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void anEntryIsForgottenAfterTheAgeLimit() {
        AtomicLong now = new AtomicLong();
        VerifiedTokens tokens = new VerifiedTokens(now::get);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("s").build();
        tokens.remember("t", claims);
        now.addAndGet(VerifiedTokens.MAX_AGE.toNanos());
        assertThat(tokens.claimsOf("t")).isSameAs(claims);
        now.addAndGet(1);
        assertThat(tokens.claimsOf("t")).isNull();
        assertThat(tokens.claimsOf("never-seen")).isNull();
    }

    private String token(long ttlSeconds) throws JOSEException {
        return sign(claims(ttlSeconds).build());
    }

    private JWTClaimsSet.Builder claims(long ttlSeconds) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("client-1")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(ttlSeconds)))
                .claim("scope", "patient/appointment.read patient/appointment.write");
    }

    private static String sign(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
