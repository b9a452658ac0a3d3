package uk.nhs.registry.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
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
            throw AccessDenied.because("The bearer token was rejected: " + e.getMessage() + ".");
        } catch (JOSEException e) {
            throw AccessDenied.because("The bearer token's signature could not be checked: " + e.getMessage() + ".");
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
