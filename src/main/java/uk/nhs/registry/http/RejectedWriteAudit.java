package uk.nhs.registry.http;

import java.time.Clock;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.outcome.Rejection;
import uk.nhs.registry.security.Caller;
import uk.nhs.registry.store.AuditEvent;
import uk.nhs.registry.store.AuditTrail;

/**
 * Records a rejected write in the audit trail, after {@link OperationOutcomeResponder} has decided
 * the answer: the status and Spine code, who asked (as far as the registry could tell) and which
 * appointment, never the body. Runs in the shared `onException` of the HTTP route; a failure to
 * record is logged and does not change the answer the client gets.
 */
public final class RejectedWriteAudit implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RejectedWriteAudit.class);
    // Methods that would change something if the registry recognised them as an interaction.
    private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AuditTrail auditTrail;
    private final Clock clock;

    public RejectedWriteAudit(AuditTrail auditTrail) {
        this(auditTrail, Clock.systemUTC());
    }

    RejectedWriteAudit(AuditTrail auditTrail, Clock clock) {
        this.auditTrail = auditTrail;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        Rejection rejection = exchange.getProperty(RegistryExchange.REJECTION, Rejection.class);
        String interaction = writeInteraction(exchange);
        if (rejection == null || interaction == null) {
            return;
        }
        Caller caller = exchange.getProperty(RegistryExchange.CALLER, Caller.class);
        if (caller == null) {
            // The token was not accepted, so nothing it says is trusted; the certificate still is.
            caller = Caller.http(null, null, null, exchange.getProperty(RequestPreparation.CERTIFICATE_SUBJECT, String.class));
        }
        AuditEvent event = new AuditEvent(clock.instant(), exchange.getProperty(RegistryExchange.REQUEST_ID, String.class),
                interaction, exchange.getProperty(RegistryExchange.APPOINTMENT_ID, String.class),
                exchange.getProperty(RegistryExchange.EXPECTED_VERSION, Integer.class), rejection.status(),
                rejection.spineCode(), caller);
        try {
            auditTrail.record(event);
        } catch (RuntimeException e) {
            LOG.warn("Could not record a rejected {} in the audit trail", interaction, e);
        }
    }

    private static String writeInteraction(Exchange exchange) {
        FhirInteraction interaction = exchange.getProperty(RegistryExchange.INTERACTION, FhirInteraction.class);
        if (interaction == FhirInteraction.CREATE) {
            return AuditEvent.CREATE;
        }
        if (interaction == FhirInteraction.UPDATE) {
            return AuditEvent.UPDATE;
        }
        // From the servlet request: the responder has already cleared the message headers.
        var request = HttpExchange.servletRequest(exchange);
        String method = request == null ? null : request.getMethod();
        return interaction == null && method != null && WRITE_METHODS.contains(method) ? method : null;
    }
}
