package uk.nhs.registry.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import java.util.List;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Set;

/**
 * The `oauth2` profile: a signed access token (RS256, PS256 or ES256 only, so `alg: none` and
 * HMAC key-confusion tokens never verify) checked against the configured JWKS, issuer and
 * audience, with a small clock skew, and a scope that grants the interaction.
 */
public final class OAuth2TokenVerifier implements TokenVerifier {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier;
    private final VerifiedTokens verified = new VerifiedTokens();
    private final Clock clock;
    private final ScopeCheck scopes;
    private final long clockSkewSeconds;
    private final String organisationClaim;
    private final String issuer;
    private final String audience;

    public OAuth2TokenVerifier(String jwksLocation, String issuer, String audience, String scopeClaim,
            String readScope, String writeScope, long clockSkewSeconds) {
        this(jwksLocation, issuer, audience, scopeClaim, readScope, writeScope, clockSkewSeconds, null);
    }

    /**
     * @param organisationClaim the claim that names the caller's organisation, when the issuer puts
     *     one in its tokens: a plain ODS code or an Organization with an ODS identifier (the Spine
     *     shape). A token without it has no organisation; null = never look.
     */
    public OAuth2TokenVerifier(String jwksLocation, String issuer, String audience, String scopeClaim,
            String readScope, String writeScope, long clockSkewSeconds, String organisationClaim) {
        this(JwksSource.of(jwksLocation), issuer, audience, scopeClaim, readScope, writeScope, clockSkewSeconds,
                organisationClaim);
    }

    OAuth2TokenVerifier(JWKSource<SecurityContext> keys, String issuer, String audience, String scopeClaim,
            String readScope, String writeScope, long clockSkewSeconds) {
        this(keys, issuer, audience, scopeClaim, readScope, writeScope, clockSkewSeconds, null);
    }

    OAuth2TokenVerifier(JWKSource<SecurityContext> keys, String issuer, String audience, String scopeClaim,
            String readScope, String writeScope, long clockSkewSeconds, String organisationClaim) {
        this(keys, issuer, audience, scopeClaim, readScope, writeScope, clockSkewSeconds, organisationClaim,
                Clock.systemUTC());
    }

    OAuth2TokenVerifier(JWKSource<SecurityContext> keys, String issuer, String audience, String scopeClaim,
            String readScope, String writeScope, long clockSkewSeconds, String organisationClaim, Clock clock) {
        this.clock = clock;
        this.organisationClaim = organisationClaim;
        this.issuer = issuer;
        this.audience = audience;
        this.scopes = new ScopeCheck(scopeClaim, readScope, writeScope);
        this.clockSkewSeconds = clockSkewSeconds;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        claimsVerifier = new DefaultJWTClaimsVerifier<>(
                audience, new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claimsVerifier.setMaxClockSkew((int) clockSkewSeconds);
        processor.setJWTClaimsSetVerifier(claimsVerifier);
    }

    /**
     * Why nimbus refused the token, in the registry's words. Nimbus's own messages name its classes
     * ("extend class to handle") and the configuration (the expected issuer); CONTRACT §2 lets
     * neither reach a client, so the refusal is explained from the token itself: what it is, then
     * which of its claims fails. Runs on refusals only.
     */
    private String whyRejected(String token, BadJOSEException failure) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            return "The bearer token is not a parsable JWT.";
        }
        if (jwt instanceof PlainJWT) {
            return "The bearer token is unsigned ('alg': 'none'); this registry takes tokens signed with RS256, PS256 or ES256.";
        }
        if (!(jwt instanceof SignedJWT signed)) {
            return "The bearer token is encrypted; this registry takes signed tokens (RS256, PS256 or ES256).";
        }
        if (!ALGORITHMS.contains(signed.getHeader().getAlgorithm())) {
            return "The bearer token is signed with '" + uk.nhs.registry.outcome.ClientText.quote(
                    signed.getHeader().getAlgorithm().getName()) + "'; this registry takes RS256, PS256 or ES256.";
        }
        JOSEObjectType type = signed.getHeader().getType();
        if (type != null && !type.equals(JOSEObjectType.JWT) && !"at+jwt".equalsIgnoreCase(type.getType())) {
            return "The bearer token's 'typ' header must be JWT or at+jwt.";
        }
        if (failure instanceof BadJWSException) {
            return "The bearer token's signature does not verify with the key it names.";
        }
        if (!(failure instanceof BadJWTException)) {
            return "The bearer token is signed with a key ('kid') this registry does not trust.";
        }
        try {
            return whyClaimsRejected(signed.getJWTClaimsSet());
        } catch (ParseException e) {
            return "The bearer token's claims are not a JSON object.";
        }
    }

    private String whyClaimsRejected(JWTClaimsSet claims) {
        for (String required : List.of("iss", "sub", "aud", "exp", "iat")) {
            if (claims.getClaim(required) == null) {
                return "The bearer token has no '" + required + "' claim.";
            }
        }
        if (!issuer.equals(claims.getIssuer())) {
            return "The bearer token's 'iss' is not an issuer this registry trusts.";
        }
        if (!claims.getAudience().contains(audience)) {
            return "The bearer token's 'aud' does not name this registry.";
        }
        java.time.Instant now = clock.instant();
        if (claims.getExpirationTime().toInstant().plusSeconds(clockSkewSeconds).isBefore(now)) {
            return "The bearer token has expired ('exp' is in the past).";
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().minusSeconds(clockSkewSeconds).isAfter(now)) {
            return "The bearer token is not valid yet ('nbf' is in the future).";
        }
        return "The bearer token's claims do not meet this registry's profile (iss, sub, aud, exp, iat).";
    }

    @Override
    public Caller verify(String token, Access needed, String certificateSubject) {
        JWTClaimsSet claims = verified.claimsOf(token);
        try {
            if (claims == null) {
                claims = processor.process(token, null);
                verified.remember(token, claims);
            } else {
                // signature and header checked before: only the claims can have changed meaning (time)
                claimsVerifier.verify(claims, null);
            }
        } catch (ParseException e) {
            throw AccessDenied.because("The bearer token is not a parsable JWT.");
        } catch (BadJOSEException e) {
            throw AccessDenied.because(whyRejected(token, e));
        } catch (JOSEException e) {
            throw AccessDenied.because("The bearer token's signature could not be checked.");
        }
        Date issuedAt = claims.getIssueTime();
        if (issuedAt.toInstant().isAfter(clock.instant().plusSeconds(clockSkewSeconds))) {
            throw AccessDenied.because("The bearer token's 'iat' is in the future.");
        }
        scopes.require(claims.getClaim(scopes.claim()), needed);
        String organisation = organisationClaim == null ? null
                : FhirClaims.odsCode(claims.getClaim(organisationClaim)).orElse(null);
        return Caller.http(claims.getIssuer(), claims.getSubject(), organisation, certificateSubject);
    }
}
