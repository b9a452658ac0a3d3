package uk.nhs.registry.expiry;

import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.ops.RegistryMetrics;
import uk.nhs.registry.store.AppointmentExpiry;

/**
 * Binds the expiry job (routes/expiry.yaml) and decides whether it exists at all: its routes carry
 * {@code precondition: "{{registry.expiry.enabled}}"}, set here, so with neither age configured
 * Camel leaves them out of the context and nothing is scheduled.
 */
public final class ExpiryConfiguration {

    /** Set here from the ages; not a key operators set. */
    static final String ENABLED_PROPERTY = "registry.expiry.enabled";
    /** registry.expiry.interval in milliseconds, for the timer's period; set here. */
    static final String INTERVAL_MILLIS_PROPERTY = "registry.expiry.interval-ms";
    static final String BEAN_NAME = "appointmentRegistry.expiry";

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryConfiguration.class);

    private ExpiryConfiguration() {
    }

    /** P400D rather than Duration's PT9600H, as an operator wrote it. */
    private static String describe(java.time.temporal.TemporalAmount age) {
        if (age instanceof java.time.Duration duration && duration.toSecondsPart() == 0 && duration.toMinutesPart() == 0
                && duration.toHoursPart() == 0 && duration.toNanosPart() == 0) {
            return "P" + duration.toDays() + "D";
        }
        return age.toString();
    }

    public static void configure(CamelContext context, DataSource dataSource, RegistryMetrics metrics) {
        PropertiesComponent properties = context.getPropertiesComponent();
        ExpirySettings settings = ExpirySettings.load(properties);
        properties.addOverrideProperty(ENABLED_PROPERTY, Boolean.toString(settings.enabled()));
        properties.addOverrideProperty(INTERVAL_MILLIS_PROPERTY, Long.toString(settings.interval().toMillis()));
        properties.addOverrideProperty(ExpirySettings.BATCH_SIZE, Integer.toString(settings.batchSize()));
        if (!settings.enabled()) {
            LOG.info("Expiry off: neither registry.expiry.after-created nor registry.expiry.after-end is set");
            return;
        }
        Clock clock = Clock.systemUTC();
        context.getRegistry().bind(BEAN_NAME,
                new ExpiryRun(new AppointmentExpiry(dataSource, clock), settings, metrics, clock));
        LOG.info("Expiry: appointments expire {} after created, {} after end (start when no end); every {} and at"
                + " start, in batches of {}", settings.afterCreated().map(ExpiryConfiguration::describe).orElse("never"),
                settings.afterEnd().map(ExpiryConfiguration::describe).orElse("never"), settings.interval(), settings.batchSize());
    }
}
