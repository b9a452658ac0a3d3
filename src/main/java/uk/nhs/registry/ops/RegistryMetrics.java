package uk.nhs.registry.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import uk.nhs.registry.outcome.SpineCode;
import uk.nhs.registry.store.Flavour;

/**
 * The registry's business counters, scraped from the management port (README "Metrics"). One
 * instance per process, bound in Camel's registry as {@value #BEAN_NAME} so that routes can call
 * it too, e.g. a feed route: {@code bean: {ref: appointmentRegistry.metrics, method: "feedMessage('applied')"}}.
 *
 * <p>Label values are bounded (Spine codes, a handful of outcomes): never put an id, an NHS
 * number or free text in a label, every distinct value is a new time series.
 */
public final class RegistryMetrics {

    public static final String BEAN_NAME = "appointmentRegistry.metrics";

    static final String REGISTERED = "registry.appointments.registered";
    static final String CANCELLED = "registry.appointments.cancelled";
    static final String REJECTIONS = "registry.rejections";
    static final String FEED_MESSAGES = "registry.feed.messages";
    static final String EXPIRED = "registry.appointments.expired";

    private final MeterRegistry meters;
    private final Counter registered;
    private final Counter cancelled;
    private final java.util.Map<Flavour, Counter> expired = new java.util.EnumMap<>(Flavour.class);

    public RegistryMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.registered = Counter.builder(REGISTERED)
                .description("Appointments registered (HTTP and feeds)").register(meters);
        this.cancelled = Counter.builder(CANCELLED)
                .description("Appointments cancelled (HTTP and feeds)").register(meters);
        // Registered up front so that a scrape shows 0 (expiry on, nothing due yet) rather than nothing.
        for (Flavour flavour : Flavour.values()) {
            expired.put(flavour, Counter.builder(EXPIRED)
                    .description("Appointments expired and deleted (CONTRACT 6), by FHIR flavour")
                    .tag("flavour", flavour.column()).register(meters));
        }
    }

    /** Counts into a registry nobody scrapes: for code built without the management parts (unit tests). */
    public static RegistryMetrics discarding() {
        return new RegistryMetrics(new SimpleMeterRegistry());
    }

    /** An appointment was committed as version 1. */
    public void registered() {
        registered.increment();
    }

    /** A cancellation was committed. */
    public void cancelled() {
        cancelled.increment();
    }

    /** The expiry job committed the expiry of {@code count} appointments of this flavour. */
    public void expired(Flavour flavour, int count) {
        expired.get(flavour).increment(count);
    }

    /** A request or feed message was answered with an OperationOutcome carrying this Spine code. */
    public void rejected(SpineCode code) {
        Counter.builder(REJECTIONS)
                .description("Requests and feed messages answered with an OperationOutcome, by Spine code")
                .tag("spine_code", code.code())
                .register(meters)
                .increment();
    }

    /**
     * A feed message was dealt with. Outcomes the feed should use: {@code registered},
     * {@code cancelled}, {@code duplicate} (already applied, redelivery), {@code dead-lettered},
     * {@code retried} (transient failure, will be redelivered).
     */
    public void feedMessage(String outcome) {
        Counter.builder(FEED_MESSAGES)
                .description("Feed messages by outcome")
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }
}
