package uk.nhs.registry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.nhs.registry.testsupport.Responses.assertOutcome;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/** CONTRACT §2: anything unexpected is a 500 that says it is safe to retry, and reveals nothing internal. */
class DatabaseOutageIT {

    @Test
    void aDatabaseOutageIsASafe500() throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        try (RunningRegistry registry = RunningRegistry.start(Map.of(
                "registry.db.url", postgres.getJdbcUrl("postgres", "postgres"), "registry.db.user", "postgres"))) {
            postgres.close();

            HttpResponse<String> response = registry.send(registry.authorised("/Appointment")
                    .header("Content-Type", "application/fhir+json")
                    .POST(BodyPublishers.ofString(TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(80))))).build());

            assertOutcome(response, 500, "exception", "INTERNAL_SERVER_ERROR");
            assertThat(response.body()).contains("safe to retry").doesNotContainIgnoringCase("postgres")
                    .doesNotContainIgnoringCase("jdbc").doesNotContain("org.");
        }
    }
}
