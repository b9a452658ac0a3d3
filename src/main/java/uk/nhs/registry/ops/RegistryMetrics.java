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

    /** The label every business counter carries: which flavour (stu3, r4) the appointment belongs to. */
    static final String FLAVOUR = "flavour";

    private final MeterRegistry meters;

    public RegistryMetrics(MeterRegistry meters) {
        this.meters = meters;
        // Registered up front so a scrape shows the counters (at 0) before the first write or expiry.
        for (Flavour flavour : Flavour.values()) {
            counter(REGISTERED, "Appointments registered (HTTP and feeds)", flavour);
            counter(CANCELLED, "Appointments cancelled (HTTP and feeds)", flavour);
            counter(EXPIRED, "Appointments expired and deleted (CONTRACT 6)", flavour);
        }
    }

    private Counter counter(String name, String description, Flavour flavour) {
        return Counter.builder(name).description(description).tag(FLAVOUR, flavour.column()).register(meters);
    }

    /** Counts into a registry nobody scrapes: for code built without the management parts (unit tests). */
    public static RegistryMetrics discarding() {
        return new RegistryMetrics(new SimpleMeterRegistry());
    }

    /** An STU3 appointment was committed as version 1. */
    public void registered() {
        registered(Flavour.STU3);
    }

    /** An appointment of this flavour was committed as version 1. */
    public void registered(Flavour flavour) {
        counter(REGISTERED, "Appointments registered (HTTP and feeds)", flavour).increment();
    }

    /** An STU3 cancellation was committed. */
    public void cancelled() {
        cancelled(Flavour.STU3);
    }

    /** A cancellation of this flavour was committed. */
    public void cancelled(Flavour flavour) {
        counter(CANCELLED, "Appointments cancelled (HTTP and feeds)", flavour).increment();
    }

    /** The expiry job committed the expiry of {@code count} appointments of this flavour. */
    public void expired(Flavour flavour, int count) {
        counter(EXPIRED, "Appointments expired and deleted (CONTRACT 6)", flavour).increment(count);
    }

    /** An STU3 request or feed message was answered with an OperationOutcome carrying this Spine code. */
    public void rejected(SpineCode code) {
        rejected(code, Flavour.STU3);
    }

    /**
     * A request or feed message of this flavour was answered with an OperationOutcome; the code is
     * the registry's internal classification (an R4 answer carries no Spine coding).
     */
    public void rejected(SpineCode code, Flavour flavour) {
        Counter.builder(REJECTIONS)
                .description("Requests and feed messages answered with an OperationOutcome, by Spine code")
                .tag("spine_code", code.code())
                .tag(FLAVOUR, flavour.column())
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
