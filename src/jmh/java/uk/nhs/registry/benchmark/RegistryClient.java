package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * One keep-alive HTTPS connection to the registry (its own HttpClient, used by one thread at a
 * time, so it never opens a second), with the client certificate and a signed token.
 */
final class RegistryClient {

    /** What a registration gives back: enough to read, search and cancel it later. */
    record Registered(String id, String nhsNumber, String body) {
    }

    private final HttpClient http;
    private final String base;
    private final String bearer;

    RegistryClient(SSLContext tls, String base, String token) {
        this.http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.base = base;
        this.bearer = "Bearer " + token;
    }

    /** Returns the registration, or null when the registry did not answer 201. */
    Registered register(String nhsNumber, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/Appointment").header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
        if (response.statusCode() != 201) {
            return null;
        }
        String location = response.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.indexOf("/Appointment/") + 13, location.indexOf("/_history/"));
        return new Registered(id, nhsNumber, response.body());
    }

    boolean read(String id) throws IOException, InterruptedException {
        return send(request("/Appointment/" + id).GET().build()).statusCode() == 200;
    }

    boolean searchByPatient(String nhsNumber) throws IOException, InterruptedException {
        String value = URLEncoder.encode("https://fhir.nhs.uk/Id/nhs-number|" + nhsNumber, StandardCharsets.UTF_8);
        return send(request("/Appointment?patient.identifier=" + value).GET().build()).statusCode() == 200;
    }

    /** Cancels version 1 of a registration: its stored body with only the status changed. */
    boolean cancel(Registered r) throws IOException, InterruptedException {
        String body = r.body().replace("\"status\":\"booked\"", "\"status\":\"cancelled\"");
        return send(request("/Appointment/" + r.id()).header("Content-Type", "application/fhir+json")
                .header("If-Match", "W/\"1\"").PUT(HttpRequest.BodyPublishers.ofString(body)).build()).statusCode() == 200;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", bearer).header("Accept", "application/fhir+json");
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
