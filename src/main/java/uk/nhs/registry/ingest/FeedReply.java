package uk.nhs.registry.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.store.StoredAppointment;

/**
 * The last step of a feed message: what a sender asking for a reply (JMSReplyTo) gets. The
 * stored Appointment as JSON with the status the HTTP API would have answered (201 for a
 * registration, 200 for a cancellation), or the rejection's OperationOutcome as JSON.
 */
public final class FeedReply implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FeedReply.class);

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        message.setHeader(IngestExchange.REQUEST_ID_HEADER, exchange.getProperty(RegistryExchange.REQUEST_ID));
        if (message.getBody() instanceof StoredAppointment stored) {
            if (!exchange.getProperty(IngestExchange.ALREADY_APPLIED, false, Boolean.class)) {
                LOG.info("Feed message applied as Appointment/{}/_history/{}", stored.id(), stored.version());
            }
            message.setHeader(IngestExchange.STATUS_HEADER, stored.version() == 1 ? 201 : 200);
            message.setHeader(IngestExchange.LOCATION_HEADER, "Appointment/" + stored.id() + "/_history/" + stored.version());
            message.setBody(stored.json());
        } else {
            message.setBody(exchange.getProperty(IngestExchange.OUTCOME_JSON, String.class));
        }
    }
}
