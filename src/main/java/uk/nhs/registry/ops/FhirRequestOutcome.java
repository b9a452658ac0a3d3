package uk.nhs.registry.ops;

import org.apache.camel.Exchange;
import uk.nhs.registry.RegistryExchange;

/** What a finished FHIR request amounted to, for metrics and the access log. */
record FhirRequestOutcome(String interaction, int status, long millis) {

    /** A request whose URL named no interaction (404/405 before the interaction was known). */
    static final String UNRECOGNISED = "UNRECOGNISED";

    // The response writers clear the request's headers, so the method is not asked for here: the
    // interaction says it (CREATE is a POST, UPDATE a PUT, the rest GETs).
    static FhirRequestOutcome of(Exchange exchange) {
        Object interaction = exchange.getProperty(RegistryExchange.INTERACTION);
        // An exception nobody handled is answered 500 by the HTTP component.
        int status = exchange.getException() != null ? 500
                : exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        return new FhirRequestOutcome(
                interaction == null ? UNRECOGNISED : interaction.toString(),
                status,
                exchange.getClock().elapsed());
    }
}
