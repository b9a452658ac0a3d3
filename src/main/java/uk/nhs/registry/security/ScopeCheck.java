package uk.nhs.registry.security;

import java.util.Collection;
import java.util.Set;

/**
 * Whether a token's scope (or role) claim grants the access an interaction needs. The claim may be
 * a space-separated string (OAuth 2 `scope`) or a JSON array (e.g. `roles`).
 */
final class ScopeCheck {

    private final String claim;
    private final String readScope;
    private final String writeScope;

    ScopeCheck(String claim, String readScope, String writeScope) {
        this.claim = claim;
        this.readScope = readScope;
        this.writeScope = writeScope;
    }

    void require(Object claimValue, Access needed) {
        String scope = needed == Access.READ ? readScope : writeScope;
        if (!granted(claimValue).contains(scope)) {
            throw AccessDenied.because("The token's '" + claim + "' claim does not grant '" + scope
                    + "', which this " + (needed == Access.READ ? "read" : "write") + " interaction needs.");
        }
    }

    String claim() {
        return claim;
    }

    private static Set<String> granted(Object claimValue) {
        if (claimValue instanceof String s) {
            return Set.of(s.trim().split("\\s+"));
        }
        if (claimValue instanceof Collection<?> values) {
            return Set.copyOf(values.stream().map(String::valueOf).toList());
        }
        return Set.of();
    }
}
