package uk.nhs.registry.security.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints RS256 access tokens with the development signing key (a private RSA JWK file, see
 * {@link DevMaterial#signingKeyJwk()}). For development and tests only.
 */
public final class DevTokens {

    public static final String SCOPE_CLAIM = "scope";

    private DevTokens() {
    }

    /**
     * A compact RS256 JWT, header {@code kid} (and {@code typ: JWT}), claims iss, sub, aud, iat,
     * nbf (= iat), exp (= iat + ttl), jti (random UUID) and {@code scope} (space separated;
     * omitted when null or blank).
     */
    public static String mint(Path signingKeyJwk, String issuer, String audience, String subject, String scope,
            Duration ttl) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
        if (scope != null && !scope.isBlank()) {
            claims.claim(SCOPE_CLAIM, scope.trim());
        }
        return sign(signingKeyJwk, claims.build());
    }

    /**
     * Signs arbitrary claims (RS256, header kid of the key): for tests that need expired, wrong
     * audience or otherwise unusual tokens.
     */
    public static String sign(Path signingKeyJwk, JWTClaimsSet claims) {
        return sign(readSigningKey(signingKeyJwk), claims);
    }

    /** Signs arbitrary claims with an in-memory private RSA JWK (RS256, header kid of the key). */
    public static String sign(RSAKey signingKey, JWTClaimsSet claims) {
        if (!signingKey.isPrivate()) {
            throw new IllegalArgumentException("signing key " + signingKey.getKeyID() + " has no private part");
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
        return jwt.serialize();
    }

    /** Reads a private RSA JWK file. */
    public static RSAKey readSigningKey(Path signingKeyJwk) {
        try {
            JWK jwk = JWK.parse(Files.readString(signingKeyJwk, StandardCharsets.UTF_8));
            if (!(jwk instanceof RSAKey rsa) || !rsa.isPrivate()) {
                throw new IllegalArgumentException(signingKeyJwk + " does not hold a private RSA JWK");
            }
            return rsa;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read signing key " + signingKeyJwk, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException(signingKeyJwk + " is not a JWK: " + e.getMessage(), e);
        }
    }
}
