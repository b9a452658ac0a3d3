package uk.nhs.registry.security;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;

/**
 * The optional allow-lists of who may use the registry at all, after the token has been accepted:
 * organisations by ODS code (from the token) and client certificates by subject. An empty list
 * does not restrict. Subjects are compared as distinguished names (canonical form), so spacing
 * and letter case in attribute names do not matter.
 */
public final class CallerPolicy {

    private final Set<String> organisations;
    private final Set<String> certificateSubjects;

    public CallerPolicy(Set<String> organisations, List<String> certificateSubjects) {
        this.organisations = Set.copyOf(organisations);
        this.certificateSubjects = certificateSubjects.stream().map(CallerPolicy::canonical).collect(Collectors.toUnmodifiableSet());
    }

    public static CallerPolicy unrestricted() {
        return new CallerPolicy(Set.of(), List.of());
    }

    public void check(Caller caller) {
        if (!organisations.isEmpty() && (caller.organisation() == null || !organisations.contains(caller.organisation()))) {
            throw AccessDenied.because(caller.organisation() == null
                    ? "The token names no organisation (ODS code), and this registry only serves listed organisations."
                    : "Organisation " + caller.organisation() + " is not allowed to use this registry.");
        }
        if (!certificateSubjects.isEmpty()
                && (caller.certificateSubject() == null || !certificateSubjects.contains(canonical(caller.certificateSubject())))) {
            throw AccessDenied.because("The client certificate's subject is not allowed to use this registry.");
        }
    }

    private static String canonical(String distinguishedName) {
        try {
            return new X500Principal(distinguishedName).getName(X500Principal.CANONICAL);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("registry.security.allowed-certificate-subjects: '" + distinguishedName
                    + "' is not a distinguished name", e);
        }
    }
}
