package uk.nhs.registry.security;

/**
 * Checks a bearer token for one interaction and says who the caller is. Implementations are the
 * token profiles of CONTRACT §2 (oauth2, spine); each throws {@link uk.nhs.registry.outcome.ForbiddenException}
 * with a diagnostics text naming what failed.
 */
public interface TokenVerifier {

    Caller verify(String token, Access needed, String certificateSubject);
}
