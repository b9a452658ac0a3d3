package uk.nhs.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.testsupport.Responses.assertOutcome;
import static uk.nhs.registry.testsupport.Responses.resource;

import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/** GET [base]/Appointment?...: CONTRACT §1 "Search". */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchIT {

    private static final String NHS = TestNhsNumbers.valid(500);
    private static final Instant NOW = Instant.now();

    private final RunningRegistry registry = SharedRegistry.get();
    private Appointment tomorrow;
    private Appointment nextWeek;
    private Appointment lastWeek;

    @BeforeAll
    void registerThree() {
        tomorrow = register(TestAppointments.booked(NHS, "urn:search:tomorrow:" + NOW.toEpochMilli(), NOW.plus(1, ChronoUnit.DAYS)));
        nextWeek = register(TestAppointments.booked(NHS, "urn:search:next-week:" + NOW.toEpochMilli(), NOW.plus(7, ChronoUnit.DAYS)));
        lastWeek = register(TestAppointments.booked(NHS, "urn:search:last-week:" + NOW.toEpochMilli(), NOW.minus(7, ChronoUnit.DAYS)));
        register(TestAppointments.booked(TestNhsNumbers.valid(501)));
    }

    private Appointment register(Appointment appointment) {
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(TestAppointments.json(appointment))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return resource(response, Appointment.class);
    }

    private HttpResponse<String> search(String query) {
        return registry.send(registry.authorised("/Appointment?" + query).GET().build());
    }

    private static String patient(String name, String nhs) {
        return name + "=" + URLEncoder.encode("https://fhir.nhs.uk/Id/nhs-number|" + nhs, StandardCharsets.UTF_8);
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    private static String id(Appointment appointment) {
        return appointment.getIdElement().getIdPart();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"patient.identifier", "patient:identifier", "actor:Patient.identifier",
            "Appointment.participant.actor:Patient.identifier"})
    void findsThePatientsFutureAppointmentsByEverySpelling(String parameter) {
        HttpResponse<String> response = search(patient(parameter, NHS));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle bundle = resource(response, Bundle.class);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(ids(bundle)).containsExactly(id(tomorrow), id(nextWeek));
        assertThat(bundle.getTotal()).isEqualTo(2);
        assertThat(bundle.getEntry()).allSatisfy(entry -> assertThat(entry.getFullUrl())
                .isEqualTo(registry.baseUrl() + "/Appointment/" + entry.getResource().getIdElement().getIdPart() + "/_history/1"));
    }

    @Test
    void pastAppointmentsComeBackWhenADateAsksForThem() {
        String lastMonth = NOW.minus(30, ChronoUnit.DAYS).toString().substring(0, 10);
        Bundle bundle = resource(search(patient("patient.identifier", NHS) + "&date=ge" + lastMonth), Bundle.class);
        assertThat(ids(bundle)).containsExactly(id(lastWeek), id(tomorrow), id(nextWeek));
    }

    @Test
    void dateRangesCombine() {
        String from = NOW.plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        String to = NOW.plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        Bundle bundle = resource(search(patient("patient.identifier", NHS) + "&date=gt" + from + "&date=lt" + to), Bundle.class);
        assertThat(ids(bundle)).containsExactly(id(nextWeek));
        Bundle past = resource(search(patient("patient.identifier", NHS) + "&date=le" + NOW.toString().substring(0, 10)
                .replace("T", "")), Bundle.class);
        assertThat(ids(past)).contains(id(lastWeek)).doesNotContain(id(nextWeek));
    }

    @Test
    void findsByIdentifierAndStatus() {
        String identifier = "identifier=" + URLEncoder.encode(TestAppointments.IDENTIFIER_SYSTEM + "|"
                + nextWeek.getIdentifierFirstRep().getValue(), StandardCharsets.UTF_8);
        assertThat(ids(resource(search(identifier), Bundle.class))).containsExactly(id(nextWeek));
        assertThat(ids(resource(search(patient("patient.identifier", NHS) + "&status=cancelled"), Bundle.class))).isEmpty();
        assertThat(ids(resource(search(patient("patient.identifier", NHS) + "&status=booked"), Bundle.class)))
                .containsExactly(id(tomorrow), id(nextWeek));
    }

    @Test
    void answersInXmlWithFormatXml() {
        HttpResponse<String> response = search(patient("patient.identifier", NHS) + "&_format=xml");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/fhir+xml;charset=utf-8");
        assertThat(resource(response, Bundle.class).getEntry()).hasSize(2);
    }

    @Test
    void unknownOrMalformedParametersAre400() {
        assertOutcome(search(patient("patient.identifier", NHS) + "&colour=blue"), 400, "invalid", "INVALID_PARAMETER");
        assertOutcome(search(patient("patient.identifier", NHS) + "&date=2025-13-45"), 400, "invalid", "INVALID_PARAMETER");
        assertOutcome(search(patient("patient.identifier", NHS) + "&date=ne2025-01-01"), 400, "invalid", "INVALID_PARAMETER");
        assertOutcome(search(patient("patient.identifier", NHS) + "&status=happy"), 400, "invalid", "INVALID_PARAMETER");
        assertOutcome(search(patient("patient.identifier", TestNhsNumbers.withBadCheckDigit(500))), 400, "invalid", "INVALID_NHS_NUMBER");
        assertOutcome(search("patient.identifier=" + URLEncoder.encode("https://example.org|" + NHS, StandardCharsets.UTF_8)),
                400, "invalid", "INVALID_IDENTIFIER_SYSTEM");
        assertOutcome(search("status=booked"), 400, "invalid", "INVALID_PARAMETER");
        assertOutcome(search("identifier=novalue"), 400, "invalid", "INVALID_PARAMETER");
    }

    @Test
    void aPlusSentUnencodedInADateTimesZoneIsReadAsThatPlus() {
        String from = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
                .format(NOW.plus(2, ChronoUnit.DAYS).atOffset(ZoneOffset.ofHours(1)));
        assertThat(from).contains("+01:00");

        HttpResponse<String> unencoded = search(patient("patient.identifier", NHS) + "&date=ge" + from);
        assertThat(unencoded.statusCode()).as(unencoded.body()).isEqualTo(200);
        assertThat(ids(resource(unencoded, Bundle.class))).containsExactly(id(nextWeek));
        HttpResponse<String> encoded = search(patient("patient.identifier", NHS) + "&date=ge" + from.replace("+", "%2B"));
        assertThat(ids(resource(encoded, Bundle.class))).containsExactly(id(nextWeek));
    }

    @Test
    void aMalformedDateTimeIs400AndTheHintSaysHowToSendAPlus() {
        for (String malformed : List.of("ge2026-01-01T09:00:00%2001", "ge2026-01-01%2009:00:00%2B01:00", "ge2026-13-01T09:00:00+01:00")) {
            var outcome = assertOutcome(search(patient("patient.identifier", NHS) + "&date=" + malformed),
                    400, "invalid", "INVALID_PARAMETER");
            assertThat(outcome.getIssueFirstRep().getDiagnostics()).as(malformed).contains("%2B");
        }
    }

    @Test
    void valuesBuiltToInjectSqlFindNothing() {
        String injected = "identifier=" + URLEncoder.encode("x|' OR '1'='1", StandardCharsets.UTF_8);
        HttpResponse<String> response = search(injected);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(resource(response, Bundle.class).getEntry()).isEmpty();
    }
}
