package uk.nhs.registry.ops;

import uk.nhs.registry.RequestIds;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import uk.nhs.registry.RegistryExchange;

/**
 * One INFO line per FHIR request: interaction, status, time. The line carries the request id in
 * the MDC like every other line about the request. Never the URL's query or the body: they hold
 * NHS numbers (CONTRACT §5).
 */
public final class HttpAccessLog extends FhirRequestListener {

    private static final Logger LOG = LoggerFactory.getLogger("uk.nhs.registry.access");


    public HttpAccessLog(String routeId) {
        super(routeId);
    }

    @Override
    protected void answered(Exchange exchange, FhirRequestOutcome outcome) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        // The event may come after RequestPreparation's clean-up has cleared the MDC: put the id
        // back for this line, and leave the MDC as it was found.
        String previous = MDC.get(RequestIds.MDC_KEY);
        MDC.put(RequestIds.MDC_KEY, exchange.getProperty(RegistryExchange.REQUEST_ID, "", String.class));
        try {
            LOG.info("{} answered {} in {} ms", outcome.interaction(), outcome.status(), outcome.millis());
        } finally {
            if (previous == null) {
                MDC.remove(RequestIds.MDC_KEY);
            } else {
                MDC.put(RequestIds.MDC_KEY, previous);
            }
        }
    }
}
