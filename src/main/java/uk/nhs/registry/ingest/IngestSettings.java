package uk.nhs.registry.ingest;

import java.util.Locale;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The configuration keys of the message feed (README "Message feeds"), with their defaults. A
 * blank {@code registry.ingest.uri} means no feed at all.
 */
public record IngestSettings(
        String uri,
        String deadLetterUri,
        String sourceName,
        String messageIdHeader,
        long maxPayloadBytes,
        int retryAttempts,
        long retryDelayMillis,
        double retryMultiplier,
        long retryMaxDelayMillis,
        String jmsBrokerUrl,
        String jmsUser,
        String jmsPassword) {

    public static IngestSettings load(PropertiesComponent properties) {
        Reader r = new Reader(properties);
        return new IngestSettings(
                r.get("registry.ingest.uri", ""),
                r.get("registry.ingest.dead-letter-uri", ""),
                r.get("registry.ingest.source-name", "feed"),
                r.get("registry.ingest.message-id-header", ""),
                Long.parseLong(r.get("registry.ingest.max-payload-bytes", "1048576")),
                Integer.parseInt(r.get("registry.ingest.retry.attempts", "10")),
                Long.parseLong(r.get("registry.ingest.retry.delay-ms", "500")),
                Double.parseDouble(r.get("registry.ingest.retry.multiplier", "2")),
                Long.parseLong(r.get("registry.ingest.retry.max-delay-ms", "30000")),
                r.get("registry.ingest.jms.broker-url", ""),
                r.get("registry.ingest.jms.user", ""),
                r.get("registry.ingest.jms.password", ""));
    }

    public boolean feedEnabled() {
        return !uri.isBlank();
    }

    /** A file dead-letter endpoint cannot carry headers, so the outcome is written beside the payload. */
    public boolean deadLetterIsFile() {
        return deadLetterUri.toLowerCase(Locale.ROOT).startsWith("file:");
    }

    /** Refuses a feed that could lose or misattribute messages, with a message an operator can act on. */
    public void check() {
        if (!feedEnabled()) {
            return;
        }
        if (deadLetterUri.isBlank()) {
            throw new IllegalArgumentException("registry.ingest.uri is set but registry.ingest.dead-letter-uri is not:"
                    + " rejected feed messages need somewhere to go. Set it to a Camel endpoint URI, e.g."
                    + " jms:queue:appointments.dead or file:/var/registry/dead.");
        }
        if (deadLetterUri.equals(uri)) {
            throw new IllegalArgumentException("registry.ingest.dead-letter-uri must differ from registry.ingest.uri:"
                    + " rejected messages would be read again forever.");
        }
        if ("http".equalsIgnoreCase(sourceName) || "expiry".equalsIgnoreCase(sourceName)) {
            throw new IllegalArgumentException("registry.ingest.source-name must not be 'http' or 'expiry': those"
                    + " names record writes made over the HTTP API and by the expiry job.");
        }
        if (retryAttempts < 0 || retryDelayMillis < 0 || retryMultiplier < 1 || retryMaxDelayMillis < retryDelayMillis) {
            throw new IllegalArgumentException("registry.ingest.retry.*: attempts and delays must not be negative,"
                    + " the multiplier at least 1 and max-delay-ms at least delay-ms.");
        }
    }

    private record Reader(PropertiesComponent properties) {
        String get(String key, String fallback) {
            return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(fallback);
        }
    }
}
