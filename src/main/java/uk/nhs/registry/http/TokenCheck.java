package uk.nhs.registry.http;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.outcome.ForbiddenException;
import uk.nhs.registry.security.AccessDenied;
import uk.nhs.registry.security.Caller;
import uk.nhs.registry.security.TokenVerifier;

/**
 * Every interaction but the capability statement needs `Authorization: Bearer <token>` that the
 * configured token profile accepts for the access the interaction needs.
 */
public final class TokenCheck implements Processor {

    private final TokenVerifier verifier;

    public TokenCheck(TokenVerifier verifier) {
        this.verifier = verifier;
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
        exchange.setProperty(RegistryExchange.CALLER, caller);
    }

    private static ForbiddenException denied(String diagnostics) {
        return AccessDenied.because(diagnostics);
    }
}
