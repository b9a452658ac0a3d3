package uk.nhs.registry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.RunningRegistry;

/** What an operator meets when configuring a feed: refusals with a reason, and URIs that resolve. */
class FeedConfigurationIT {

    @Test
    void aFeedWithoutADeadLetterEndpointRefusesToStart() {
        assertThatThrownBy(() -> RunningRegistry.start(Map.of("registry.ingest.uri", "file:target/never-read")))
                .hasStackTraceContaining("registry.ingest.dead-letter-uri");
    }

    @Test
    void settingsRefuseAFeedNamedLikeTheHttpApiOrReadingItsOwnDeadLetters() {
        assertThatThrownBy(() -> settings("file:in", "file:dead", "http").check())
                .hasMessageContaining("registry.ingest.source-name");
        // the audit trail's source of expiries
        assertThatThrownBy(() -> settings("file:in", "file:dead", "expiry").check())
                .hasMessageContaining("registry.ingest.source-name");
        assertThatThrownBy(() -> settings("file:in", "file:in", "feed").check())
                .hasMessageContaining("must differ");
        settings("", "", "feed").check();
    }

    /** Kafka needs no broker to check that the component is there and the documented URI is valid. */
    @Test
    void theDocumentedKafkaUriResolvesWithOffsetsCommittedAfterProcessing() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Endpoint endpoint = context.getEndpoint("kafka:appointments?brokers=127.0.0.1:9092&groupId=registry"
                    + "&autoCommitEnable=false&breakOnFirstError=true");
            assertThat(endpoint).isInstanceOf(KafkaEndpoint.class);
            KafkaEndpoint kafka = (KafkaEndpoint) endpoint;
            assertThat(kafka.getConfiguration().isAutoCommitEnable()).isFalse();
            assertThat(kafka.getConfiguration().isBreakOnFirstError()).isTrue();
        }
    }

    private static IngestSettings settings(String uri, String deadLetterUri, String sourceName) {
        return new IngestSettings(uri, deadLetterUri, sourceName, "", 1024, 1, 10, 2, 100, "", "", "");
    }
}
