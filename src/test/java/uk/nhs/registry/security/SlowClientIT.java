package uk.nhs.registry.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import uk.nhs.registry.testsupport.RawHttps;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * A client that starts a request and then sends its body too slowly (slowloris) is disconnected
 * after registry.http.idle-timeout-ms, and other clients are served meanwhile. Runs its own
 * registry with a short idle timeout.
 */
@Timeout(120)
class SlowClientIT {

    private static RunningRegistry registry;

    @BeforeAll
    static void start() {
        registry = RunningRegistry.start(Map.of("registry.http.idle-timeout-ms", "1000"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void aClientThatStopsSendingIsDisconnectedWhileOthersAreServed() throws Exception {
        String body = TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(720)));
        try (RawHttps slow = RawHttps.connect(registry, 20_000)) {
            slow.send("POST /fhir/Appointment HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + registry.token()
                    + "\r\nContent-Type: application/fhir+json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body.substring(0, 20));

            // While that request waits for the rest of its body, another client is answered.
            HttpResponse<String> other = registry.send(registry.authorised("/metadata").GET().build());
            assertThat(other.statusCode()).isEqualTo(200);

            // The stalled request is answered 408 and its connection closed (well within the test's
            // 20 s read timeout, which would fail the test rather than wait forever).
            RawHttps.RawResponse answer = slow.readUntilClosed();
            assertThat(answer.status()).as(answer.text()).isEqualTo(408);
            assertThat(answer.body()).contains("\"resourceType\":\"OperationOutcome\"").contains("\"code\":\"timeout\"");
            assertThat(answer.headers()).contains("X-Request-Id");
        }
        try (Connection db = registry.database(); ResultSet rows = db.createStatement().executeQuery("SELECT COUNT(*) FROM appointment")) {
            rows.next();
            assertThat(rows.getLong(1)).isZero();
        }
    }
}
