package uk.nhs.registry.http;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.outcome.MethodNotAllowedException;
import uk.nhs.registry.outcome.Rejection;
import uk.nhs.registry.store.Flavour;

/**
 * Answers a failed FHIR request: the status and OperationOutcome of {@link Rejection}, in the
 * negotiated format and the FHIR version of the request's flavour. Used by the shared `onException` of the HTTP route configuration.
 */
public final class OperationOutcomeResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(OperationOutcomeResponder.class);

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Rejection rejection = Rejection.of(failure);
        exchange.setProperty(RegistryExchange.REJECTION, rejection);
        // The diagnostics can quote client data (an NHS number); the log gets the code only.
        LOG.info("{} {} answered {} {}", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                exchange.getProperty(RegistryExchange.INTERACTION), rejection.status(),
                rejection.spineCode().code());
        if (rejection.status() == 403) {
            // Why access was denied is what an operator needs; these texts name claims and codes,
            // never the token itself or anything from the body.
            // Control characters are masked: a claim value must not be able to forge a log line.
            LOG.info("Access denied: {}", abbreviate(rejection.issues().get(0).diagnostics().replaceAll("\\p{Cntrl}", "?")));
        }
        Message message = HttpResponses.start(exchange, rejection.status());
        String allow = allow(failure);
        if (allow != null) {
            message.setHeader("Allow", allow);
        }
        // One mapping to status and issues; the OperationOutcome is the flavour's own (STU3 or R4).
        Flavour flavour = exchange.getProperty(RegistryExchange.FLAVOUR, Flavour.STU3, Flavour.class);
        message.setBody(HttpResponses.encode(exchange, rejection.outcome(flavour)));
    }

    /** RFC 9110 §15.5.6: a 405 says what the path does serve. */
    private static String allow(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MethodNotAllowedException notAllowed) {
                return notAllowed.allow();
            }
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
