package uk.nhs.registry.security;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** Spine cross-organisation audit tokens (unsigned) as a Spine consumer system sends them. */
final class SpineTokens {

    static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
    static final String ODS_CODE = "RR8";
    static final String SUBJECT = "G13579135";

    private SpineTokens() {
    }

    /** Claims a spine-profile registry accepts for the given scope; callers change one thing. */
    static JWTClaimsSet.Builder claims(String audience, String scope) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new JWTClaimsSet.Builder()
                .issuer("https://consumer-system.example.nhs.uk")
                .subject(SUBJECT)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("reason_for_request", "directcare")
                .claim("requested_scope", scope)
                .claim("requesting_system", "https://fhir.nhs.uk/Id/accredited-system|200000000205")
                .claim("requesting_organization", organisation(ODS_SYSTEM, ODS_CODE))
                .claim("requesting_device", Map.of("resourceType", "Device",
                        "identifier", List.of(Map.of("system", "https://consumersupplier.com/Id/device-identifier", "value",
                                "CONS-APP-4")),
                        "model", "Consumer product", "version", "5.3.0"))
                .claim("requesting_practitioner", Map.of("resourceType", "Practitioner", "id", SUBJECT,
                        "identifier", List.of(Map.of("system", "https://fhir.nhs.uk/Id/sds-user-id", "value", SUBJECT))));
    }

    static Map<String, Object> organisation(String system, String code) {
        return Map.of("resourceType", "Organization", "name", "Test Trust",
                "identifier", List.of(Map.of("system", system, "value", code)));
    }

    static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }
}
