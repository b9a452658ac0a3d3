package uk.nhs.registry.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.ingest.JmsFeed.property;
import static uk.nhs.registry.ingest.JmsFeed.text;
import static org.apache.camel.builder.Builder.body;

import jakarta.jms.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/** A JMS feed on a real (embedded) ActiveMQ Artemis broker into the real registry: CONTRACT §3. */
class JmsFeedIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final JmsFeed feed = JmsFeed.get();
    private final EmbeddedBroker broker = feed.broker;
    private final RunningRegistry registry = feed.registry;

    @Test
    void registersABookedAppointmentAndRecordsTheFeedAndMessageId() {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(41));
        String identifier = appointment.getIdentifierFirstRep().getValue();

        NotifyBuilder applied = applied(identifier);
        String messageId = broker.send(JmsFeed.FEED, TestAppointments.json(appointment));

        assertThat(applied.matches(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the feed route completed the message").isTrue();
        List<FeedRecords.Version> versions = FeedRecords.versions(registry, identifier);
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).status()).isEqualTo("booked");
        assertThat(versions.get(0).source()).isEqualTo(JmsFeed.SOURCE);
        assertThat(versions.get(0).requestId()).isEqualTo("jms:" + messageId);
        Eventually.await("the feed queue empty", WAIT, () -> broker.messageCount(JmsFeed.FEED) == 0);
        assertThat(feed.deadLetter("jms:" + messageId, 200)).isNull();
    }

    @Test
    void registersXmlDetectedFromTheContent() {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(42));
        String identifier = appointment.getIdentifierFirstRep().getValue();

        NotifyBuilder applied = applied(identifier);
        broker.send(JmsFeed.FEED, TestAppointments.xml(appointment));

        assertThat(applied.matches(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the feed route completed the message").isTrue();
        assertThat(FeedRecords.appointmentsWithIdentifier(registry, identifier)).isEqualTo(1);
    }

    /**
     * Done when the feed route has completed (not failed) the message whose reply names the
     * identifier: the registration committed in the route, so the database can be read at once.
     */
    private NotifyBuilder applied(String identifier) {
        return new NotifyBuilder(registry.camelContext()).fromRoute("ingest-feed")
                .filter(body().contains(identifier)).whenCompleted(1).create();
    }

    @Test
    void repliesWithTheStoredAppointmentAndCancelsWithTheVersionItNames() {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(43));
        String identifier = appointment.getIdentifierFirstRep().getValue();
        String replies = "replies." + UUID.randomUUID();

        broker.sendWithReplyTo(JmsFeed.FEED, TestAppointments.json(appointment), replies);
        Message reply = broker.receive(replies, WAIT.toMillis());

        assertThat(reply).as("reply to the registration").isNotNull();
        assertThat(property(reply, "RegistryStatus")).isEqualTo("201");
        Appointment stored = TestAppointments.parse(text(reply));
        assertThat(stored.getMeta().getVersionId()).isEqualTo("1");
        assertThat(stored.getIdentifierFirstRep().getValue()).isEqualTo(identifier);
        String id = stored.getIdElement().getIdPart();
        assertThat(property(reply, "RegistryLocation")).isEqualTo("Appointment/" + id + "/_history/1");

        stored.setStatus(Appointment.AppointmentStatus.CANCELLED);
        broker.sendWithReplyTo(JmsFeed.FEED, TestAppointments.json(stored), replies);
        Message cancelReply = broker.receive(replies, WAIT.toMillis());

        assertThat(cancelReply).as("reply to the cancellation").isNotNull();
        assertThat(property(cancelReply, "RegistryStatus")).isEqualTo("200");
        assertThat(TestAppointments.parse(text(cancelReply)).getMeta().getVersionId()).isEqualTo("2");
        assertThat(FeedRecords.versions(registry, identifier)).extracting(FeedRecords.Version::status)
                .containsExactly("booked", "cancelled");
    }

    @Test
    void rejectedMessageGoesToTheDeadLetterQueueUntouchedWithItsOutcome() {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.withBadCheckDigit(44));
        String identifier = appointment.getIdentifierFirstRep().getValue();
        // Not how HAPI would write it: the dead letter must be this text, not a re-encoding.
        String payload = "\n  " + TestAppointments.json(appointment) + "  \n";

        String messageId = broker.send(JmsFeed.FEED, payload, Map.of("SenderNote", "kept"));
        Message dead = feed.deadLetter("jms:" + messageId, WAIT.toMillis());

        assertThat(dead).as("dead letter").isNotNull();
        assertThat(text(dead)).isEqualTo(payload);
        assertThat(property(dead, "SenderNote")).isEqualTo("kept");
        assertThat(property(dead, "RegistryStatus")).isEqualTo("422");
        assertThat(property(dead, "RegistrySpineCode")).isEqualTo("INVALID_NHS_NUMBER");
        OperationOutcome outcome = Fhir.context().newJsonParser().parseResource(OperationOutcome.class,
                property(dead, "RegistryOperationOutcome"));
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("INVALID_NHS_NUMBER");
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).isNotBlank();
        assertThat(FeedRecords.appointmentsWithIdentifier(registry, identifier)).isZero();
    }

    @Test
    void unreadableMessageIsDeadLetteredAs400AndRepliedToWithTheOutcome() {
        String replies = "replies." + UUID.randomUUID();
        String messageId = broker.sendWithReplyTo(JmsFeed.FEED, "this is not FHIR", replies);

        Message reply = broker.receive(replies, WAIT.toMillis());
        assertThat(reply).isNotNull();
        assertThat(property(reply, "RegistryStatus")).isEqualTo("400");
        OperationOutcome outcome = Fhir.context().newJsonParser().parseResource(OperationOutcome.class, text(reply));
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("MESSAGE_NOT_WELL_FORMED");

        Message dead = feed.deadLetter("jms:" + messageId, WAIT.toMillis());
        assertThat(dead).isNotNull();
        assertThat(text(dead)).isEqualTo("this is not FHIR");
        assertThat(property(dead, "RegistrySpineCode")).isEqualTo("MESSAGE_NOT_WELL_FORMED");
    }

    @Test
    void cancellationOfAVersionThatIsNotCurrentIsAConflict() {
        Appointment stored = registerOverTheFeed(TestAppointments.booked(TestNhsNumbers.valid(45)));
        stored.setStatus(Appointment.AppointmentStatus.CANCELLED);
        stored.getMeta().setVersionId("7");

        String messageId = broker.send(JmsFeed.FEED, TestAppointments.json(stored));
        Message dead = feed.deadLetter("jms:" + messageId, WAIT.toMillis());

        assertThat(dead).isNotNull();
        assertThat(property(dead, "RegistryStatus")).isEqualTo("409");
        assertThat(property(dead, "RegistrySpineCode")).isEqualTo("FHIR_CONSTRAINT_VIOLATION");
    }

    @Test
    void redeliveredRegistrationIsAnsweredWithTheFirstWriteAndStoresNothingTwice() {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(46));
        String identifier = appointment.getIdentifierFirstRep().getValue();
        String senderId = "sender-" + UUID.randomUUID();
        String replies = "replies." + UUID.randomUUID();

        Message first = sendStamped(TestAppointments.json(appointment), senderId, replies);
        Message second = sendStamped(TestAppointments.json(appointment), senderId, replies);

        assertThat(property(first, "RegistryStatus")).isEqualTo("201");
        assertThat(text(second)).isEqualTo(text(first));
        assertThat(FeedRecords.versions(registry, identifier)).hasSize(1);
        assertThat(feed.deadLetter(senderId, 300)).isNull();
    }

    @Test
    void redeliveredCancellationIsAnsweredWithTheFirstWriteAndStoresNothingTwice() {
        Appointment stored = registerOverTheFeed(TestAppointments.booked(TestNhsNumbers.valid(47)));
        String identifier = stored.getIdentifierFirstRep().getValue();
        stored.setStatus(Appointment.AppointmentStatus.CANCELLED);
        String senderId = "sender-" + UUID.randomUUID();
        String replies = "replies." + UUID.randomUUID();

        Message first = sendStamped(TestAppointments.json(stored), senderId, replies);
        Message second = sendStamped(TestAppointments.json(stored), senderId, replies);

        assertThat(property(first, "RegistryStatus")).isEqualTo("200");
        assertThat(text(second)).isEqualTo(text(first));
        assertThat(FeedRecords.versions(registry, identifier)).extracting(FeedRecords.Version::status)
                .containsExactly("booked", "cancelled");
        assertThat(feed.deadLetter(senderId, 300)).isNull();
    }

    /**
     * The broker itself redelivers: the registration is committed, then sending the reply fails
     * (its queue does not exist yet), so the JMS transaction rolls back and Artemis delivers the
     * same message again, with the same JMSMessageID, until the reply can be sent.
     */
    @Test
    void brokerRedeliveryAfterACommittedWriteStoresNothingTwice() {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(48));
        String identifier = appointment.getIdentifierFirstRep().getValue();
        String replies = EmbeddedBroker.STRICT_PREFIX + UUID.randomUUID();

        String messageId = broker.sendWithReplyTo(JmsFeed.FEED, TestAppointments.json(appointment), replies);
        try {
            Eventually.await("the registration", WAIT, () -> FeedRecords.appointmentsWithIdentifier(registry, identifier) == 1);
            // Several redelivery cycles (100 ms apart): an acknowledged message would be gone by now
            // and stay gone. The broker's count is three counters read one after another, so a read
            // while a rolled-back message moves to its redelivery schedule can say 0: read again.
            pause(Duration.ofMillis(500));
            Eventually.await("the message still on the feed (not acknowledged)", Duration.ofSeconds(5),
                    () -> broker.messageCount(JmsFeed.FEED) == 1);
        } finally {
            // Even after a failed check: otherwise the message cycles for ever and fails the next test.
            broker.createQueue(replies);
        }
        Message reply = broker.receive(replies, WAIT.toMillis());

        assertThat(reply).isNotNull();
        assertThat(property(reply, "RegistryStatus")).isEqualTo("201");
        assertThat(FeedRecords.versions(registry, identifier)).hasSize(1);
        assertThat(FeedRecords.versions(registry, identifier).get(0).requestId()).isEqualTo("jms:" + messageId);
        Eventually.await("the feed queue empty", WAIT, () -> broker.messageCount(JmsFeed.FEED) == 0);
        assertThat(feed.deadLetter("jms:" + messageId, 300)).isNull();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Appointment registerOverTheFeed(Appointment appointment) {
        String replies = "replies." + UUID.randomUUID();
        broker.sendWithReplyTo(JmsFeed.FEED, TestAppointments.json(appointment), replies);
        Message reply = broker.receive(replies, WAIT.toMillis());
        assertThat(reply).as("reply to the registration").isNotNull();
        return TestAppointments.parse(text(reply));
    }

    private Message sendStamped(String payload, String senderId, String replies) {
        broker.sendWithReplyTo(JmsFeed.FEED, payload, replies, Map.of(JmsFeed.ID_HEADER, senderId));
        Message reply = broker.receive(replies, WAIT.toMillis());
        assertThat(reply).as("reply").isNotNull();
        return reply;
    }
}
