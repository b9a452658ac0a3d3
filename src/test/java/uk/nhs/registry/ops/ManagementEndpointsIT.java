package uk.nhs.registry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * What an orchestrator and a Prometheus scraper get from the management port: plain HTTP, no
 * client certificate, no token. The registry is shared with other test classes, so metrics are
 * compared before and after this test's own traffic.
 */
class ManagementEndpointsIT {

    private final RunningRegistry registry = SharedRegistry.get();

    @Test
    void livenessAndReadinessAreUpWithTheDatabaseAndTheWarmValidator() {
        HttpResponse<String> live = registry.management("/observe/health/live");
        HttpResponse<String> ready = registry.management("/observe/health/ready");
        HttpResponse<String> full = registry.management("/observe/health?exposureLevel=full");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"UP\"");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"");
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).contains(DatabaseHealthCheck.ID, ValidatorHealthCheck.ID, "database answers",
                "profile validator warm");
    }

    @Test
    void metricsCountRequestsByInteractionAndStatusAndRejectionsBySpineCode() throws Exception {
        PrometheusScrape before = scrape();
        String body = TestAppointments.json(TestAppointments.booked(TestNhsNumbers.valid(80)));
        assertThat(post(body).statusCode()).isEqualTo(201);
        assertThat(post(body).statusCode()).isEqualTo(422);
        assertThat(registry.send(registry.authorised("/Appointment/no-such-id").GET().build()).statusCode()).isEqualTo(404);
        PrometheusScrape after = scrapeOnceCounted(before, 3);

        assertThat(increase(before, after, "registry_http_requests_seconds_count", "interaction", "CREATE", "status", "201"))
                .isEqualTo(1);
        assertThat(increase(before, after, "registry_http_requests_seconds_count", "interaction", "CREATE", "status", "422"))
                .isEqualTo(1);
        assertThat(increase(before, after, "registry_http_requests_seconds_count", "interaction", "READ", "status", "404"))
                .isEqualTo(1);
        // every request falls in the +Inf bucket of the latency histogram
        assertThat(increase(before, after, "registry_http_requests_seconds_bucket", "interaction", "CREATE", "le", "+Inf"))
                .isEqualTo(2);
        assertThat(increase(before, after, "registry_appointments_registered_total")).isEqualTo(1);
        assertThat(increase(before, after, "registry_rejections_total", "spine_code", "DUPLICATE_REJECTED")).isEqualTo(1);
        assertThat(increase(before, after, "registry_rejections_total", "spine_code", "NO_RECORD_FOUND")).isEqualTo(1);
        // Camel's own per-route meters and the pool's
        assertThat(increase(before, after, "camel_exchanges_total", "routeId", "fhir-api")).isEqualTo(3);
        assertThat(after.value("camel_route_policy_seconds_count", "routeId", "register-appointment")).isPositive();
        assertThat(after.has("hikaricp_connections_active")).isTrue();
        assertThat(after.has("jvm_memory_used_bytes")).isTrue();
    }

    @Test
    void theMetricsHoldNoNhsNumberAndNoAppointmentId() {
        String nhsNumber = TestNhsNumbers.valid(81);
        HttpResponse<String> created = post(TestAppointments.json(TestAppointments.booked(nhsNumber)));
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();

        String metrics = scrape().text();
        assertThat(metrics).doesNotContain(nhsNumber);
        assertThat(metrics).doesNotContain(location.replaceAll(".*/Appointment/([^/]+)/.*", "$1"));
    }

    private HttpResponse<String> post(String body) {
        return registry.send(registry.authorised("/Appointment").header("Content-Type", "application/fhir+json")
                .POST(BodyPublishers.ofString(body)).build());
    }

    private PrometheusScrape scrape() {
        HttpResponse<String> response = registry.management("/observe/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return new PrometheusScrape(response.body());
    }

    /**
     * Request metrics are recorded when Camel completes the exchange, which can be just after the
     * client has its response: scrape until this test's requests are all in (boundedly).
     */
    private PrometheusScrape scrapeOnceCounted(PrometheusScrape before, int requests) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            PrometheusScrape now = scrape();
            if (increase(before, now, "registry_http_requests_seconds_count") >= requests
                    && increase(before, now, "camel_exchanges_total", "routeId", "fhir-api") >= requests) {
                return now;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the requests never showed in the metrics");
    }

    private static double increase(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
