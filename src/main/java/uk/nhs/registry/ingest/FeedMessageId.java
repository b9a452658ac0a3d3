package uk.nhs.registry.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The identity of a feed message that survives redelivery: it becomes the request id recorded with
 * the write, which is how a redelivered message is recognised. A configured header wins (for
 * senders that stamp their own ids); otherwise the transport's own: the JMS message id, Kafka's
 * topic, partition and offset, or a file's name, size and modification time.
 */
final class FeedMessageId {

    // Long ids are hashed: request ids are indexed, and an index entry must stay small.
    private static final int MAX_LENGTH = 128;

    private final String configuredHeader;

    FeedMessageId(String configuredHeader) {
        this.configuredHeader = configuredHeader;
    }

    String of(Exchange exchange) {
        Message in = exchange.getIn();
        String id = null;
        if (!configuredHeader.isBlank()) {
            id = text(in, configuredHeader);
        }
        if (id == null && text(in, "JMSMessageID") != null) {
            id = "jms:" + text(in, "JMSMessageID");
        }
        if (id == null && text(in, "kafka.OFFSET") != null) {
            id = "kafka:" + text(in, "kafka.TOPIC") + "/" + text(in, "kafka.PARTITION") + "/" + text(in, "kafka.OFFSET");
        }
        if (id == null && text(in, Exchange.FILE_NAME) != null) {
            id = "file:" + text(in, Exchange.FILE_NAME) + ":" + text(in, Exchange.FILE_LENGTH) + ":"
                    + text(in, Exchange.FILE_LAST_MODIFIED);
        }
        if (id == null) {
            id = "message:" + in.getMessageId();
        }
        return id.length() <= MAX_LENGTH ? id : "sha256:" + sha256(id);
    }

    private static String text(Message in, String header) {
        Object value = in.getHeader(header);
        if (value == null) {
            return null;
        }
        if (value instanceof java.util.Date date) {
            return Long.toString(date.getTime());
        }
        String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
        return text.isBlank() ? null : text;
    }

    private static String sha256(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
