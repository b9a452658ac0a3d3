package uk.nhs.registry.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.ops.RegistryMetrics;
import uk.nhs.registry.outcome.Rejection;
import uk.nhs.registry.store.StoredAppointment;

/**
 * Counts each feed message once, by what became of it, near the end of both the applied and
 * the rejected path, before the reply turns the body into text (README "Metrics": registry_feed_messages_total).
 */
public final class FeedOutcomeCounter implements Processor {

    private final RegistryMetrics metrics;

    FeedOutcomeCounter(RegistryMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        Rejection rejection = exchange.getProperty(RegistryExchange.REJECTION, Rejection.class);
        if (exchange.getProperty(IngestExchange.ALREADY_APPLIED, false, Boolean.class)) {
            metrics.feedMessage("duplicate");
        } else if (rejection != null) {
            metrics.rejected(rejection.spineCode());
            metrics.feedMessage("dead-lettered");
        } else if (body instanceof StoredAppointment stored) {
            metrics.feedMessage(stored.version() == 1 ? "registered" : "cancelled");
        }
    }
}
