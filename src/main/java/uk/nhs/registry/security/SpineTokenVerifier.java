package uk.nhs.registry.security;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The `spine` profile (CONTRACT §2): the NHS cross-organisation audit token, which Spine sends
 * unsigned (`alg: none`). Nothing here proves who made the token; that is why the registry
 * only accepts this profile while client certificates are required (see RegistryConfiguration),
 * so the TLS handshake has authenticated the sending system and the token says on whose behalf
 * and why. Every claim rule of the contract is checked, and each failure names its claim.
 */
public final class SpineTokenVerifier implements TokenVerifier {

    /** The longest lifetime (exp - iat) the Spine specification allows. */
    static final long MAX_LIFETIME_SECONDS = 300;
    static final String DIRECT_CARE = "directcare";
    private static final Set<String> READ_SCOPES = Set.of("patient/appointment.read", "patient/*.read");
    private static final Set<String> WRITE_SCOPES = Set.of("patient/appointment.write", "patient/*.write");

    private final String audience;
    private final long clockSkewSeconds;
    private final Clock clock;

    public SpineTokenVerifier(String audience, long clockSkewSeconds) {
        this(audience, clockSkewSeconds, Clock.systemUTC());
    }

    SpineTokenVerifier(String audience, long clockSkewSeconds, Clock clock) {
        this.audience = audience;
        this.clockSkewSeconds = clockSkewSeconds;
        this.clock = clock;
    }

    @Override
    public Caller verify(String token, Access needed, String certificateSubject) {
        JWTClaimsSet claims = unsignedClaims(token);
        String issuer = requiredText(claims, "iss");
        String subject = requiredText(claims, "sub");
        checkAudience(claims.getAudience());
        checkTimes(claims);
        if (!DIRECT_CARE.equals(claims.getClaim("reason_for_request"))) {
            throw AccessDenied.because("The token's 'reason_for_request' claim must be '" + DIRECT_CARE + "'.");
        }
        checkScope(claims.getClaim("requested_scope"), needed);
        Object device = claims.getClaim("requesting_device");
        if (!FhirClaims.isResource(device, "Device") || !FhirClaims.hasIdentifier(device)) {
            throw AccessDenied.because("The token's 'requesting_device' claim must be a Device with an identifier"
                    + " (system and value).");
        }
        Object organisation = claims.getClaim("requesting_organization");
        String odsCode = FhirClaims.isResource(organisation, "Organization")
                ? FhirClaims.identifierValue(organisation, FhirClaims.ODS_SYSTEM).orElse(null) : null;
        if (odsCode == null) {
            throw AccessDenied.because("The token's 'requesting_organization' claim must be an Organization with an '"
                    + FhirClaims.ODS_SYSTEM + "' identifier.");
        }
        checkPractitioner(claims.getClaim("requesting_practitioner"), subject);
        return Caller.http(issuer, subject, odsCode, certificateSubject);
    }

    private static JWTClaimsSet unsignedClaims(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw AccessDenied.because("The bearer token is not a parsable JWT.");
        }
        // A signed or encrypted token cannot be checked without keys this profile does not have;
        // accepting it as if it were verified would mislead whoever reads the audit trail.
        if (!(jwt instanceof PlainJWT)) {
            throw AccessDenied.because("The spine token profile takes unsigned tokens ('alg': 'none'), as Spine sends"
                    + " them; this token is signed or encrypted.");
        }
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw AccessDenied.because("The bearer token's claims are not a JSON object.");
        }
    }

    private static String requiredText(JWTClaimsSet claims, String name) {
        return FhirClaims.text(claims.getClaim(name)).orElseThrow(
                () -> AccessDenied.because("The token has no '" + name + "' claim (a non-empty string)."));
    }

    private void checkAudience(List<String> tokenAudience) {
        if (!List.of(audience).equals(tokenAudience)) {
            throw AccessDenied.because("The token's 'aud' claim must be this registry's base URL ([base]).");
        }
    }

    private void checkTimes(JWTClaimsSet claims) {
        Date exp = date(claims, "exp");
        Date iat = date(claims, "iat");
        Instant now = clock.instant();
        if (now.minusSeconds(clockSkewSeconds).isAfter(exp.toInstant())) {
            throw AccessDenied.because("The token's 'exp' is in the past: the token has expired.");
        }
        if (iat.toInstant().isAfter(now.plusSeconds(clockSkewSeconds))) {
            throw AccessDenied.because("The token's 'iat' is in the future.");
        }
        long lifetime = exp.toInstant().getEpochSecond() - iat.toInstant().getEpochSecond();
        if (lifetime <= 0 || lifetime > MAX_LIFETIME_SECONDS) {
            throw AccessDenied.because("The token's 'exp' must be after its 'iat' by at most " + MAX_LIFETIME_SECONDS
                    + " seconds; it is " + lifetime + ".");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plusSeconds(clockSkewSeconds))) {
            throw AccessDenied.because("The token's 'nbf' is in the future: the token is not valid yet.");
        }
    }

    private static Date date(JWTClaimsSet claims, String name) {
        try {
            Date date = claims.getDateClaim(name);
            if (date != null) {
                return date;
            }
        } catch (ParseException e) {
            // a claim that is not a number of seconds: reported as missing below
        }
        throw AccessDenied.because("The token has no '" + name + "' claim (seconds since the epoch).");
    }

    private static void checkScope(Object claim, Access needed) {
        Set<String> accepted = needed == Access.READ ? READ_SCOPES : WRITE_SCOPES;
        if (!(claim instanceof String scope) || !accepted.contains(scope.trim())) {
            throw AccessDenied.because("The token's 'requested_scope' claim must be one of " + accepted.stream().sorted().toList()
                    + " for this " + (needed == Access.READ ? "read" : "write") + " interaction.");
        }
    }

    private static void checkPractitioner(Object practitioner, String subject) {
        if (practitioner == null) {
            return;
        }
        if (!FhirClaims.isResource(practitioner, "Practitioner")) {
            throw AccessDenied.because("The token's 'requesting_practitioner' claim, when present, must be a Practitioner.");
        }
        Object id = ((java.util.Map<?, ?>) practitioner).get("id");
        if (!subject.equals(id)) {
            throw AccessDenied.because("The token's 'requesting_practitioner' id must equal its 'sub' claim.");
        }
    }
}
