package uk.nhs.registry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Message;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Identifier;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.hl7.fhir.dstu3.model.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * One table of registrations, each sent once over HTTP and once over the JMS feed of the same
 * registry: both paths must give the same status and the same Spine codes, because both use the
 * one parser and the one set of rules.
 */
class SameJudgementIT {

    private final JmsFeed feed = JmsFeed.get();

    record Verdict(int status, List<String> spineCodes) {
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                appointment("is valid", a -> { }),
                appointment("carries an id", a -> a.setId("abc")),
                appointment("has a description", a -> a.setDescription("secret")),
                appointment("has supportingInformation", a -> a.addSupportingInformation(new Reference("Observation/1"))),
                appointment("has a slot", a -> a.addSlot(new Reference("Slot/1"))),
                appointment("is pending", a -> a.setStatus(Appointment.AppointmentStatus.PENDING)),
                appointment("has no start", a -> a.setStart(null)),
                appointment("has no created", a -> a.setCreated(null)),
                appointment("has no identifier", a -> a.getIdentifier().clear()),
                appointment("has an identifier without system", a -> a.getIdentifierFirstRep().setSystem(null)),
                appointment("names no patient", a -> a.getParticipantFirstRep().getActor().setIdentifier(
                        new Identifier().setSystem("https://example.org/staff").setValue("x"))),
                appointment("has a bad NHS number", a -> a.getParticipantFirstRep().getActor().getIdentifier()
                        .setValue(TestNhsNumbers.withBadCheckDigit(61))),
                appointment("has no participant status", a -> a.getParticipantFirstRep().setStatus(null)),
                payload("has a start that is not an instant", () -> fresh().replaceFirst("\"start\":\"[^\"]+\"", "\"start\":\"2030-02-01\"")),
                payload("has an unknown element", () -> fresh().replaceFirst("\\{", "{\"colour\":\"blue\",")),
                payload("is not JSON", () -> "{\"resourceType\":\"Appointment\","),
                payload("is another resource", () -> "{\"resourceType\":\"Patient\"}"));
    }

    private static Arguments appointment(String name, Consumer<Appointment> breakIt) {
        Supplier<String> json = () -> {
            Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(60));
            breakIt.accept(appointment);
            return TestAppointments.json(appointment);
        };
        return Arguments.of(name, json);
    }

    private static Arguments payload(String name, Supplier<String> json) {
        return Arguments.of(name, json);
    }

    /** A valid registration with a fresh identifier, as JSON. */
    private static String fresh() {
        return TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(62)));
    }

    @ParameterizedTest(name = "an appointment that {0}")
    @MethodSource("cases")
    void httpAndFeedJudgeAlike(String name, Supplier<String> payload) {
        Verdict overHttp = overHttp(payload.get());
        Verdict overFeed = overFeed(payload.get());

        assertThat(overFeed).as("feed vs HTTP").isEqualTo(overHttp);
        if (name.equals("is valid")) {
            assertThat(overHttp.status()).isEqualTo(201);
        } else {
            assertThat(overHttp.status()).isBetween(400, 499);
        }
    }

    private Verdict overHttp(String json) {
        HttpResponse<String> response = feed.registry.send(feed.registry.authorised("/Appointment")
                .header("Content-Type", "application/fhir+json").POST(BodyPublishers.ofString(json)).build());
        return new Verdict(response.statusCode(), response.statusCode() >= 400 ? codes(response.body()) : List.of());
    }

    private Verdict overFeed(String json) {
        String replies = "replies." + UUID.randomUUID();
        feed.broker.sendWithReplyTo(JmsFeed.FEED, json, replies);
        Message reply = feed.broker.receive(replies, 30_000);
        assertThat(reply).as("reply from the feed").isNotNull();
        int status = Integer.parseInt(JmsFeed.property(reply, "RegistryStatus"));
        return new Verdict(status, status >= 400 ? codes(JmsFeed.text(reply)) : List.of());
    }

    private static List<String> codes(String outcomeJson) {
        OperationOutcome outcome = Fhir.context().newJsonParser().parseResource(OperationOutcome.class, outcomeJson);
        return outcome.getIssue().stream().map(i -> i.getDetails().getCodingFirstRep().getCode()).sorted().toList();
    }
}
