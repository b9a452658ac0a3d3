package uk.nhs.registry.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.outcome.Rejection;
import uk.nhs.registry.store.Flavour;

/**
 * Times every FHIR request by interaction, flavour and HTTP status, and counts each rejection by its Spine
 * code. Listens to Camel's exchange events rather than sitting in the route, so the route files
 * stay about FHIR, and a request that fails anywhere is still counted.
 */
public final class HttpRequestMetrics extends FhirRequestListener {

    static final String REQUESTS = "registry.http.requests";

    // Explicit buckets rather than Micrometer's ~70 default ones per series: these cover a cache
    // hit to a client's timeout, and keep interaction x status x bucket small enough to scrape.
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
    };

    private final MeterRegistry meters;
    private final RegistryMetrics registryMetrics;

    public HttpRequestMetrics(String routeId, MeterRegistry meters, RegistryMetrics registryMetrics) {
        super(routeId);
        this.meters = meters;
        this.registryMetrics = registryMetrics;
    }

    @Override
    protected void answered(Exchange exchange, FhirRequestOutcome outcome) {
        Flavour flavour = exchange.getProperty(RegistryExchange.FLAVOUR, Flavour.STU3, Flavour.class);
        Timer.builder(REQUESTS)
                .description("FHIR requests by interaction and HTTP status: time from the request reaching the"
                        + " route to the response being ready")
                .tag("interaction", outcome.interaction())
                .tag(RegistryMetrics.FLAVOUR, flavour.column())
                .tag("status", Integer.toString(outcome.status()))
                .serviceLevelObjectives(BUCKETS)
                .register(meters)
                .record(outcome.millis(), TimeUnit.MILLISECONDS);
        Rejection rejection = exchange.getProperty(RegistryExchange.REJECTION, Rejection.class);
        if (rejection != null) {
            registryMetrics.rejected(rejection.spineCode(), flavour);
        }
    }
}
