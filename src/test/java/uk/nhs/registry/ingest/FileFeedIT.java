package uk.nhs.registry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.testsupport.HostileBodies;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/** A folder as the feed: where each file ends up, and what the registry holds afterwards. */
class FileFeedIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Path inbox;
    private static Path done;
    private static Path dead;
    private static RunningRegistry registry;

    @BeforeAll
    static void start() throws IOException {
        Path folder = Files.createTempDirectory("file-feed");
        inbox = Files.createDirectories(folder.resolve("in"));
        done = inbox.resolve(".done");
        dead = folder.resolve("dead");
        registry = RunningRegistry.start(Map.of(
                "registry.ingest.uri", "file:" + inbox + "?move=.done&delay=100&readLock=changed&readLockCheckInterval=100",
                "registry.ingest.dead-letter-uri", "file:" + dead,
                "registry.ingest.source-name", "file-test-feed"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void goodFilesAreRegisteredAndMovedToDone() throws IOException {
        Appointment json = TestAppointments.booked(TestNhsNumbers.valid(51));
        Appointment xml = TestAppointments.booked(TestNhsNumbers.valid(52));

        drop("good.json", TestAppointments.json(json));
        drop("good.xml", TestAppointments.xml(xml));

        Eventually.await("both files done", WAIT, () -> Files.exists(done.resolve("good.json")) && Files.exists(done.resolve("good.xml")));
        assertThat(FeedRecords.versions(registry, json.getIdentifierFirstRep().getValue())).singleElement()
                .satisfies(v -> {
                    assertThat(v.source()).isEqualTo("file-test-feed");
                    assertThat(v.requestId()).startsWith("file:good.json:");
                });
        assertThat(FeedRecords.appointmentsWithIdentifier(registry, xml.getIdentifierFirstRep().getValue())).isEqualTo(1);
        assertThat(dead.resolve("good.json")).doesNotExist();
        assertThat(inbox.resolve("good.json")).doesNotExist();
    }

    @Test
    void badFileGoesToTheDeadLetterFolderUntouchedWithItsOutcomeBeside() throws IOException {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.withBadCheckDigit(53));
        String payload = TestAppointments.json(appointment) + "\n";

        drop("bad.json", payload);

        Eventually.await("the outcome file", WAIT, () -> Files.exists(dead.resolve("bad.json.outcome.json")));
        assertThat(Files.readString(dead.resolve("bad.json"))).isEqualTo(payload);
        OperationOutcome outcome = Fhir.context().newJsonParser().parseResource(OperationOutcome.class,
                Files.readString(dead.resolve("bad.json.outcome.json")));
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("INVALID_NHS_NUMBER");
        Eventually.await("the bad file leaves the inbox", WAIT, () -> !Files.exists(inbox.resolve("bad.json")));
        assertThat(FeedRecords.appointmentsWithIdentifier(registry, appointment.getIdentifierFirstRep().getValue())).isZero();
    }

    /**
     * A file whose write was committed but which was not moved (the registry stopped in between)
     * is read again with the same name, size and time: it must change nothing and not be dead-lettered.
     */
    @Test
    void aFileReadAgainAfterItsWriteChangesNothing() throws IOException {
        Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(54));
        String identifier = appointment.getIdentifierFirstRep().getValue();
        drop("again.json", TestAppointments.json(appointment));
        Eventually.await("registered", WAIT, () -> Files.exists(done.resolve("again.json")));
        Appointment stored = TestAppointments.parse(FeedRecordsJson.current(registry, identifier));
        stored.setStatus(Appointment.AppointmentStatus.CANCELLED);
        drop("cancel.json", TestAppointments.json(stored));
        Eventually.await("cancelled", WAIT, () -> Files.exists(done.resolve("cancel.json")));

        // As if never moved: the same files, same size and time, back in the inbox.
        Files.move(done.resolve("again.json"), inbox.resolve("again.json"));
        Files.move(done.resolve("cancel.json"), inbox.resolve("cancel.json"));
        Eventually.await("both read again", WAIT, () -> Files.exists(done.resolve("again.json"))
                && Files.exists(done.resolve("cancel.json")));

        assertThat(FeedRecords.versions(registry, identifier)).extracting(FeedRecords.Version::status)
                .containsExactly("booked", "cancelled");
        assertThat(dead.resolve("again.json")).doesNotExist();
        assertThat(dead.resolve("cancel.json")).doesNotExist();
    }

    /**
     * The feed reads with the same strictness as the HTTP API (CONTRACT §2, issue 31): each of these
     * is dead-lettered with the outcome an HTTP client would get, and nothing is stored.
     */
    @ParameterizedTest
    @CsvSource({
            "lone-surrogate, MESSAGE_NOT_WELL_FORMED, structure",
            "participants, INVALID_RESOURCE, too-costly",
            "duplicate-key, MESSAGE_NOT_WELL_FORMED, structure",
            "array-for-string, MESSAGE_NOT_WELL_FORMED, structure",
            "number-for-string, MESSAGE_NOT_WELL_FORMED, structure",
            "control-character, INVALID_RESOURCE, value"})
    void aFileTheApiWouldRefuseIsDeadLetteredAsTheApiWouldAnswer(String shape, String spineCode, String issueType)
            throws IOException {
        String marker = HostileBodies.marker();
        String payload = switch (shape) {
            case "lone-surrogate" -> HostileBodies.identifierEndingIn(marker, 55, "\\ud800");
            case "participants" -> HostileBodies.participants(marker, 55, 30_000);
            case "duplicate-key" -> HostileBodies.duplicateStatus(marker, 55);
            case "array-for-string" -> HostileBodies.statusAsArray(marker, 55);
            case "number-for-string" -> HostileBodies.nhsNumberAsNumber(marker, 55);
            default -> HostileBodies.controlCharacterInIdentifier(marker, 55, '\u0007');
        };
        String name = "strict-" + shape + ".json";
        drop(name, payload);

        Eventually.await("the outcome file", WAIT, () -> Files.exists(dead.resolve(name + ".outcome.json")));
        assertThat(Files.readString(dead.resolve(name))).isEqualTo(payload);
        OperationOutcome outcome = Fhir.context().newJsonParser().parseResource(OperationOutcome.class,
                Files.readString(dead.resolve(name + ".outcome.json")));
        assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo(spineCode);
        assertThat(outcome.getIssueFirstRep().getCode().toCode()).isEqualTo(issueType);
        assertThat(outcome.getIssue()).hasSizeLessThanOrEqualTo(100);
        assertThat(FeedRecords.appointmentsWithIdentifier(registry, marker)).isZero();
        assertThat(FeedRecords.appointmentsWithIdentifier(registry, marker + "?")).isZero();
    }

    /** Written beside and moved in, so the feed never sees half a file. */
    private static void drop(String name, String content) throws IOException {
        Path temporary = inbox.getParent().resolve(name + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
