package uk.nhs.registry.ops;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Hears of every FHIR request once it is answered: Camel's exchange-completed and -failed events
 * of the HTTP route, and no other event (each one ignored here costs nothing per request).
 */
abstract class FhirRequestListener extends EventNotifierSupport {

    private final String routeId;

    FhirRequestListener(String routeId) {
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
    public final boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeCompletedEvent || event instanceof ExchangeFailedEvent;
    }

    @Override
    public final void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        if (routeId.equals(exchange.getFromRouteId())) {
            answered(exchange, FhirRequestOutcome.of(exchange));
        }
    }

    protected abstract void answered(Exchange exchange, FhirRequestOutcome outcome);
}
