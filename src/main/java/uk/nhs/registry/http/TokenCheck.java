package uk.nhs.registry.http;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.outcome.ForbiddenException;
import uk.nhs.registry.security.AccessDenied;
import uk.nhs.registry.security.Caller;
import uk.nhs.registry.security.CallerPolicy;
import uk.nhs.registry.security.TokenVerifier;

/**
 * Every interaction but the capability statement needs `Authorization: Bearer <token>` that the
 * configured token profile accepts for the access the interaction needs, from a caller the
 * allow-lists ({@link CallerPolicy}) admit.
 */
public final class TokenCheck implements Processor {

    private final TokenVerifier verifier;
    private final CallerPolicy policy;

    public TokenCheck(TokenVerifier verifier) {
        this(verifier, CallerPolicy.unrestricted());
    }

    public TokenCheck(TokenVerifier verifier, CallerPolicy policy) {
        this.verifier = verifier;
        this.policy = policy;
    }

    @Override
    public void process(Exchange exchange) {
        FhirInteraction interaction = exchange.getProperty(RegistryExchange.INTERACTION, FhirInteraction.class);
        if (HttpExchange.headerCount(exchange, "Authorization") > 1) {
            throw denied("Send exactly one Authorization header.");
        }
        String authorization = HttpExchange.header(exchange, "Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw denied("This interaction needs 'Authorization: Bearer <token>'.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            throw denied("The Authorization header must use the Bearer scheme.");
        }
        String certificateSubject = exchange.getProperty(RequestPreparation.CERTIFICATE_SUBJECT, String.class);
        Caller caller = verifier.verify(authorization.substring(7).trim(), interaction.access(), certificateSubject);
        // Set before the allow-lists are applied: a refused caller is still named in the audit trail.
        exchange.setProperty(RegistryExchange.CALLER, caller);
        policy.check(caller);
    }

    private static ForbiddenException denied(String diagnostics) {
        return AccessDenied.because(diagnostics);
    }
}
