package uk.nhs.registry.ingest;

import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.format.AppointmentParser;
import uk.nhs.registry.store.WritesByRequest;

/**
 * Binds the parts of the message feed (routes/ingest.yaml) and decides whether it exists at all.
 *
 * <p>The feed routes carry {@code precondition: "{{registry.ingest.enabled}}"}: Camel leaves a
 * route whose precondition is false out of the context entirely, so with no
 * {@code registry.ingest.uri} there is no feed route, no endpoint and no blank URI to resolve,
 * while the routes stay plain YAML beside the others.
 */
public final class IngestConfiguration {

    /** Set here from registry.ingest.uri; not a key operators set. */
    static final String ENABLED_PROPERTY = "registry.ingest.enabled";
    static final String DEAD_LETTER_IS_FILE_PROPERTY = "registry.ingest.dead-letter-is-file";

    private static final Logger LOG = LoggerFactory.getLogger(IngestConfiguration.class);

    private IngestConfiguration() {
    }

    public static void configure(CamelContext context, AppointmentParser parser, DataSource dataSource,
            uk.nhs.registry.ops.RegistryMetrics metrics) throws Exception {
        IngestSettings settings = IngestSettings.load(context.getPropertiesComponent());
        settings.check();
        var properties = context.getPropertiesComponent();
        properties.addOverrideProperty(ENABLED_PROPERTY, Boolean.toString(settings.feedEnabled()));
        properties.addOverrideProperty(DEAD_LETTER_IS_FILE_PROPERTY, Boolean.toString(settings.deadLetterIsFile()));
        if (!settings.jmsBrokerUrl().isBlank()) {
            // A class of its own: the JMS client is optional (e.g. in a Karaf hub without it) and must
            // only be loaded when a broker is configured.
            ArtemisConnection.configure(context, settings);
        }
        if (!settings.feedEnabled()) {
            return;
        }
        Registry registry = context.getRegistry();
        AlreadyApplied ledger = new AlreadyApplied(new WritesByRequest(dataSource));
        registry.bind("appointmentRegistry.ingestMessageReader", new FeedMessageReader(parser, new FeedMessageId(settings.messageIdHeader()),
                settings.sourceName(), settings.maxPayloadBytes()));
        registry.bind("appointmentRegistry.ingestAlreadyApplied", ledger);
        registry.bind("appointmentRegistry.ingestUnroutable", new UnroutableMessage());
        registry.bind("appointmentRegistry.ingestDeadLetterEnvelope", new DeadLetterEnvelope(ledger, settings.deadLetterIsFile()));
        registry.bind("appointmentRegistry.ingestReply", new FeedReply());
        registry.bind("appointmentRegistry.ingestOutcomeCounter", new FeedOutcomeCounter(metrics));
        registry.bind("appointmentRegistry.ingestFailures", new TransientFailures());
        registry.bind("appointmentRegistry.ingestRedelivery", redelivery(settings));
        LOG.info("Message feed '{}': {} (dead letters to {})", settings.sourceName(), withoutQuery(settings.uri()),
                withoutQuery(settings.deadLetterUri()));
    }

    /**
     * Retries of transient failures: exponential back-off, bounded. After the last one the failure
     * goes back to the transport (rollback), which keeps the message.
     */
    private static RedeliveryPolicy redelivery(IngestSettings settings) {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(settings.retryAttempts());
        policy.setRedeliveryDelay(settings.retryDelayMillis());
        policy.setUseExponentialBackOff(settings.retryMultiplier() > 1);
        policy.setBackOffMultiplier(settings.retryMultiplier());
        policy.setMaximumRedeliveryDelay(settings.retryMaxDelayMillis());
        policy.setRetryAttemptedLogLevel(org.apache.camel.LoggingLevel.WARN);
        policy.setLogStackTrace(false);
        policy.setLogRetryStackTrace(false);
        return policy;
    }

    /** URIs for the log: query parameters can hold credentials. */
    static String withoutQuery(String uri) {
        return uri.split("\\?", 2)[0];
    }
}
