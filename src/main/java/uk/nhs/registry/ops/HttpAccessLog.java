package uk.nhs.registry.ops;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.http.RequestPreparation;

/**
 * One INFO line per FHIR request: interaction, status, time. The line carries the request id in
 * the MDC like every other line about the request. Never the URL's query or the body: they hold
 * NHS numbers (CONTRACT §5).
 */
public final class HttpAccessLog extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger("uk.nhs.registry.access");

    private final String routeId;

    public HttpAccessLog(String routeId) {
        this.routeId = routeId;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeCompletedEvent || event instanceof ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        if (!routeId.equals(exchange.getFromRouteId()) || !LOG.isInfoEnabled()) {
            return;
        }
        FhirRequestOutcome outcome = FhirRequestOutcome.of(exchange);
        // The event may come after RequestPreparation's clean-up has cleared the MDC: put the id
        // back for this line, and leave the MDC as it was found.
        String previous = MDC.get(RequestPreparation.MDC_KEY);
        MDC.put(RequestPreparation.MDC_KEY, exchange.getProperty(RegistryExchange.REQUEST_ID, "", String.class));
        try {
            LOG.info("{} answered {} in {} ms", outcome.interaction(), outcome.status(), outcome.millis());
        } finally {
            if (previous == null) {
                MDC.remove(RequestPreparation.MDC_KEY);
            } else {
                MDC.put(RequestPreparation.MDC_KEY, previous);
            }
        }
    }
}
