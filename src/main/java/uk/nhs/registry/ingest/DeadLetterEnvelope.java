package uk.nhs.registry.ingest;

import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.outcome.Rejection;
import uk.nhs.registry.store.StoredAppointment;

/**
 * Prepares a rejected feed message for the dead-letter endpoint: the payload exactly as it
 * arrived, with the verdict of {@link Rejection} (the same mapping the HTTP API answers with) in
 * headers. One exception: a message whose id shows it was already applied (a redelivery that lost
 * a race with its twin, or whose first delivery's commit outcome was unknown) is no rejection, and
 * is answered with the version it wrote instead.
 */
public final class DeadLetterEnvelope implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterEnvelope.class);

    private final AlreadyApplied ledger;
    private final boolean deadLetterIsFile;

    DeadLetterEnvelope(AlreadyApplied ledger, boolean deadLetterIsFile) {
        this.ledger = ledger;
        this.deadLetterIsFile = deadLetterIsFile;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Optional<StoredAppointment> applied = ledger.find(exchange);
        exchange.setProperty(IngestExchange.ALREADY_APPLIED, applied.isPresent());
        if (applied.isPresent()) {
            LOG.info("Feed message failed with {} but was already applied as Appointment/{}/_history/{}",
                    failure == null ? "nothing" : failure.getClass().getSimpleName(), applied.get().id(), applied.get().version());
            exchange.getMessage().setBody(applied.get());
            return;
        }
        Rejection rejection = Rejection.of(failure);
        String outcome = Fhir.context().newJsonParser().encodeResourceToString(rejection.outcome());
        String requestId = exchange.getProperty(RegistryExchange.REQUEST_ID, String.class);
        // The code only: diagnostics can quote an NHS number.
        LOG.info("Feed message rejected {} {}; to the dead-letter endpoint", rejection.status(), rejection.spineCode().code());

        Message message = exchange.getMessage();
        Object original = exchange.getProperty(IngestExchange.ORIGINAL_PAYLOAD);
        if (original != null) {
            message.setBody(original);
        }
        message.setHeader(IngestExchange.STATUS_HEADER, rejection.status());
        message.setHeader(IngestExchange.SPINE_CODE_HEADER, rejection.spineCode().code());
        message.setHeader(IngestExchange.OUTCOME_HEADER, outcome);
        message.setHeader(IngestExchange.REQUEST_ID_HEADER, requestId);
        exchange.setProperty(IngestExchange.OUTCOME_JSON, outcome);
        exchange.setProperty(RegistryExchange.REJECTION, rejection);
        if (deadLetterIsFile && message.getHeader(Exchange.FILE_NAME) == null) {
            message.setHeader(Exchange.FILE_NAME, (requestId == null ? exchange.getExchangeId() : requestId)
                    .replaceAll("[^A-Za-z0-9._-]", "_"));
        }
    }
}
