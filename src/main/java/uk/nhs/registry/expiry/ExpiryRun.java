package uk.nhs.registry.expiry;

import java.time.Clock;
import java.util.Map;
import org.apache.camel.Exchange;
import uk.nhs.registry.ops.RegistryMetrics;
import uk.nhs.registry.store.AppointmentExpiry;
import uk.nhs.registry.store.Flavour;

/**
 * One batch of the expiry route (routes/expiry.yaml), which calls it in a loop until a batch comes
 * back short.
 *
 * <p>Why a bean and not camel-jdbc or camel-sql: a batch is six statements (lock the due rows,
 * read their identifiers, insert tombstones, delete identifier, version and appointment rows,
 * insert audit rows) that must commit or roll back together, or an appointment could lose its
 * content without a tombstone, or be counted without being deleted. camel-jdbc and camel-sql run
 * each exchange's statement on a connection of their own and can only share a transaction through
 * a Spring transaction manager, which the registry (and a Karaf hub's bundle) would carry for this
 * alone. The store's own transaction helper already does it, with retry of transient failures.
 */
public final class ExpiryRun {

    /** Exchange property: appointments expired so far in this run. */
    static final String EXPIRED_IN_RUN = "registryExpiredInRun";

    private final AppointmentExpiry expiry;
    private final ExpirySettings settings;
    private final RegistryMetrics metrics;
    private final Clock clock;

    public ExpiryRun(AppointmentExpiry expiry, ExpirySettings settings, RegistryMetrics metrics, Clock clock) {
        this.expiry = expiry;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Expires one batch of what is due now and counts it.
     *
     * @return whether the batch was full, i.e. more may be due; false without a batch once the
     *     registry is stopping, so that a long backlog does not hold up shutdown (the next start
     *     carries on)
     */
    public boolean expireBatch(Exchange exchange) {
        if (exchange.getContext().isStopping()) {
            return false;
        }
        AppointmentExpiry.Expired expired = expiry.expireDue(settings.cutoffs(clock), settings.batchSize(),
                "expiry-" + exchange.getExchangeId());
        for (Map.Entry<Flavour, Integer> count : expired.byFlavour().entrySet()) {
            metrics.expired(count.getKey(), count.getValue());
        }
        Integer before = exchange.getProperty(EXPIRED_IN_RUN, 0, Integer.class);
        exchange.setProperty(EXPIRED_IN_RUN, before + expired.total());
        return expired.total() >= settings.batchSize();
    }
}
