package uk.nhs.registry.security;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the small FHIR resources that tokens carry as JSON claims (Spine's requesting_device,
 * requesting_organization, requesting_practitioner), as the plain maps and lists nimbus gives.
 */
final class FhirClaims {

    static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";

    private FhirClaims() {
    }

    static boolean isResource(Object claim, String resourceType) {
        return claim instanceof Map<?, ?> map && resourceType.equals(map.get("resourceType"));
    }

    /** Whether the resource has an identifier with both a system and a value. */
    static boolean hasIdentifier(Object resource) {
        return identifiers(resource).stream().anyMatch(i -> text(i.get("system")).isPresent() && text(i.get("value")).isPresent());
    }

    /** The value of the resource's first identifier in the given system. */
    static Optional<String> identifierValue(Object resource, String system) {
        return identifiers(resource).stream()
                .filter(i -> system.equals(i.get("system")))
                .map(i -> text(i.get("value")))
                .flatMap(Optional::stream)
                .findFirst();
    }

    /**
     * An organisation claim as either a plain ODS code or an Organization resource with an ODS
     * identifier (the Spine shape): the ODS code, if there is one.
     */
    static Optional<String> odsCode(Object claim) {
        if (claim instanceof String code) {
            return text(code);
        }
        return isResource(claim, "Organization") ? identifierValue(claim, ODS_SYSTEM) : Optional.empty();
    }

    static Optional<String> text(Object value) {
        return value instanceof String s && !s.isBlank() ? Optional.of(s.trim()) : Optional.empty();
    }

    private static List<Map<?, ?>> identifiers(Object resource) {
        if (!(resource instanceof Map<?, ?> map) || !(map.get("identifier") instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).<Map<?, ?>>map(i -> (Map<?, ?>) i).toList();
    }
}
