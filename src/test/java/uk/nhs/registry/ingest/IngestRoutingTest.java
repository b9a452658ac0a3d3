package uk.nhs.registry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Appointment.AppointmentStatus;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.RegistryExchange;
import uk.nhs.registry.format.AppointmentParser;
import uk.nhs.registry.ops.RegistryMetrics;
import uk.nhs.registry.store.StoredAppointment;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * The routing decisions of routes/ingest.yaml, with Camel's test kit: the real route file, the real
 * parser and processors, a message sent to the feed route, and mock endpoints where the message
 * would leave the route. The two writes (direct:register-appointment, direct:cancel-appointment:
 * the database, which the feed ITs use for real) are mocked and skipped, and the dead-letter
 * endpoint is a mock; the ledger of applied messages answers from a map instead of the database.
 * What is proven: which way JSONPath and XPath send a message, and what a rejection carries.
 */
@CamelMainTest(properties = {
        "camel.main.routes-include-pattern=classpath:routes/ingest.yaml",
        "camel.management.enabled=false",
        "camel.metrics.enabled=false",
        "registry.ingest.enabled=true",
        "registry.ingest.uri=direct:feed",
        "registry.ingest.dead-letter-uri=mock:dead-letter",
        "registry.ingest.dead-letter-is-file=false"},
        mockEndpointsAndSkip = "direct:(register|cancel)-appointment")
class IngestRoutingTest {

    private static final String MESSAGE_ID = "X-Message-Id";
    private static final String REPLAYED = "already-applied-message";
    private static final StoredAppointment APPLIED = new StoredAppointment("a1", 1, Instant.now(), "booked", "{}");

    @Produce("direct:feed")
    ProducerTemplate feed;

    @EndpointInject("mock:direct:register-appointment")
    MockEndpoint register;

    @EndpointInject("mock:direct:cancel-appointment")
    MockEndpoint cancel;

    @EndpointInject("mock:dead-letter")
    MockEndpoint deadLetter;

    @Configure
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) {
                bindIngestBeans(context);
            }
        });
        // routes/fhir-api.yaml's, which ingest.yaml's sub-routes name: failures go back to the caller.
        configuration.addRoutesBuilder(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                routeConfiguration("propagate-errors").errorHandler(noErrorHandler());
            }
        });
    }

    /** What IngestConfiguration binds, with the ledger answering from memory and no redelivery. */
    private static void bindIngestBeans(CamelContext context) {
        var registry = context.getRegistry();
        AlreadyApplied ledger = new AlreadyApplied((source, requestId) ->
                REPLAYED.equals(requestId) ? Optional.of(APPLIED) : Optional.empty());
        registry.bind("appointmentRegistry.ingestMessageReader",
                new FeedMessageReader(new AppointmentParser(), new FeedMessageId(MESSAGE_ID), "test-feed", 1_048_576));
        registry.bind("appointmentRegistry.ingestAlreadyApplied", ledger);
        registry.bind("appointmentRegistry.ingestUnroutable", new UnroutableMessage());
        registry.bind("appointmentRegistry.ingestDeadLetterEnvelope", new DeadLetterEnvelope(ledger, false));
        registry.bind("appointmentRegistry.ingestReply", new FeedReply());
        registry.bind("appointmentRegistry.ingestOutcomeCounter", new FeedOutcomeCounter(RegistryMetrics.discarding()));
        registry.bind("appointmentRegistry.ingestFailures", new TransientFailures());
        RedeliveryPolicy noRetry = new RedeliveryPolicy();
        noRetry.setMaximumRedeliveries(0);
        registry.bind("appointmentRegistry.ingestRedelivery", noRetry);
    }

    private void send(String payload, String messageId) {
        feed.sendBodyAndHeaders(payload, Map.of(MESSAGE_ID, messageId));
    }

    private static Appointment booked() {
        return TestAppointments.booked(TestNhsNumbers.valid(900));
    }

    private static Appointment cancellation(String id, String versionId) {
        Appointment appointment = booked();
        appointment.setStatus(AppointmentStatus.CANCELLED);
        appointment.setId(id);
        if (versionId != null) {
            appointment.getMeta().setVersionId(versionId);
        }
        return appointment;
    }

    @Test
    void aBookedAppointmentInJsonGoesToRegistration() throws Exception {
        register.expectedMessageCount(1);
        cancel.expectedMessageCount(0);
        deadLetter.expectedMessageCount(0);

        send(TestAppointments.json(booked()), "m-json-booked");

        MockEndpoint.assertIsSatisfied(register, cancel, deadLetter);
        Exchange registration = register.getExchanges().get(0);
        assertThat(registration.getIn().getBody()).isInstanceOf(Appointment.class);
        assertThat(registration.getProperty(RegistryExchange.REQUEST_ID)).isEqualTo("m-json-booked");
    }

    @Test
    void aBookedAppointmentInXmlGoesToRegistration() throws Exception {
        register.expectedMessageCount(1);
        cancel.expectedMessageCount(0);
        deadLetter.expectedMessageCount(0);

        send(TestAppointments.xml(booked()), "m-xml-booked");

        MockEndpoint.assertIsSatisfied(register, cancel, deadLetter);
    }

    @Test
    void aCancellationInXmlGoesToCancellationWithTheIdAndVersionItReplaces() throws Exception {
        register.expectedMessageCount(0);
        cancel.expectedMessageCount(1);
        cancel.expectedPropertyReceived(RegistryExchange.APPOINTMENT_ID, "appt-7");
        cancel.expectedPropertyReceived(RegistryExchange.EXPECTED_VERSION, "3");
        deadLetter.expectedMessageCount(0);

        send(TestAppointments.xml(cancellation("appt-7", "3")), "m-xml-cancel");

        MockEndpoint.assertIsSatisfied(register, cancel, deadLetter);
        assertThat(cancel.getExchanges().get(0).getIn().getBody()).isInstanceOf(Appointment.class);
    }

    @Test
    void aCancellationInJsonGoesToCancellation() throws Exception {
        register.expectedMessageCount(0);
        cancel.expectedMessageCount(1);
        cancel.expectedPropertyReceived(RegistryExchange.APPOINTMENT_ID, "appt-8");
        cancel.expectedPropertyReceived(RegistryExchange.EXPECTED_VERSION, "12");
        deadLetter.expectedMessageCount(0);

        send(TestAppointments.json(cancellation("appt-8", "12")), "m-json-cancel");

        MockEndpoint.assertIsSatisfied(register, cancel, deadLetter);
    }

    @Test
    void aCancellationWithoutTheVersionItReplacesIsDeadLetteredAsItArrivedWith422() throws Exception {
        String payload = TestAppointments.json(cancellation("appt-9", null));
        register.expectedMessageCount(0);
        cancel.expectedMessageCount(0);
        deadLetter.expectedMessageCount(1);
        deadLetter.expectedBodiesReceived(payload);
        deadLetter.expectedHeaderReceived(IngestExchange.STATUS_HEADER, 422);
        deadLetter.expectedHeaderReceived(IngestExchange.REQUEST_ID_HEADER, "m-no-version");

        send(payload, "m-no-version");

        MockEndpoint.assertIsSatisfied(register, cancel, deadLetter);
        assertThat(deadLetter.getExchanges().get(0).getIn().getHeader(IngestExchange.OUTCOME_HEADER, String.class))
                .contains("OperationOutcome").contains("meta.versionId");
    }

    @Test
    void anotherStatusIsDeadLetteredWith422() throws Exception {
        Appointment proposed = booked();
        proposed.setStatus(AppointmentStatus.PROPOSED);
        register.expectedMessageCount(0);
        cancel.expectedMessageCount(0);
        deadLetter.expectedMessageCount(1);
        deadLetter.expectedHeaderReceived(IngestExchange.STATUS_HEADER, 422);

        send(TestAppointments.json(proposed), "m-proposed");

        MockEndpoint.assertIsSatisfied(register, cancel, deadLetter);
    }

    @Test
    void aMessageThatIsNotFhirIsDeadLetteredWith400() throws Exception {
        register.expectedMessageCount(0);
        cancel.expectedMessageCount(0);
        deadLetter.expectedMessageCount(1);
        deadLetter.expectedBodiesReceived("hello, registry");
        deadLetter.expectedHeaderReceived(IngestExchange.STATUS_HEADER, 400);

        send("hello, registry", "m-not-fhir");

        MockEndpoint.assertIsSatisfied(register, cancel, deadLetter);
    }

    @Test
    void aMessageAlreadyAppliedIsNotRoutedAgain() throws Exception {
        register.expectedMessageCount(0);
        cancel.expectedMessageCount(0);
        deadLetter.expectedMessageCount(0);

        Exchange reply = feed.send(exchange -> {
            exchange.getIn().setBody(TestAppointments.json(booked()));
            exchange.getIn().setHeader(MESSAGE_ID, REPLAYED);
        });

        MockEndpoint.assertIsSatisfied(register, cancel, deadLetter);
        assertThat(reply.getMessage().getHeader(IngestExchange.LOCATION_HEADER)).isEqualTo("Appointment/a1/_history/1");
    }
}
