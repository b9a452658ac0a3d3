package uk.nhs.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.Bundle;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import uk.nhs.registry.RegistrySettings;
import uk.nhs.registry.security.dev.DevMaterial;
import uk.nhs.registry.security.dev.DevTokens;
import uk.nhs.registry.testsupport.Folders;
import uk.nhs.registry.testsupport.RegistryJarProcess;
import uk.nhs.registry.testsupport.Responses;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestCertificates;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * CONTRACT §4: killing the registry (SIGKILL) at any moment under load loses no acknowledged write and leaves no
 * identifier registered twice. The runnable jar runs as a process of its own ({@code java -jar}, no JVM options) under
 * registrations and cancels from {@value #CONNECTIONS} connections at once, over mutual TLS with signed tokens; it is
 * killed while requests are in flight and started again on the same database, {@value #CYCLES} times. A registration
 * that got no answer is sent again after the restart, as a provider system would: it must then be created, or refused
 * as a duplicate because the first attempt was committed. At the end every acknowledged registration and cancel is
 * read back, and the database (over JDBC, after the last stop) holds each identifier the clients sent exactly once.
 */
class KilledRegistryIT {

    private static final int CYCLES = 5;
    private static final int CONNECTIONS = 8;
    /** Each cycle's load runs until this many writes were acknowledged, then for a random time up to the window. */
    private static final int WRITES_BEFORE_KILL = 30;
    private static final long KILL_WINDOW_MILLIS = 2_000;
    /** Of the writes a connection sends, the share that cancels an appointment registered earlier. */
    private static final double CANCEL_SHARE = 0.3;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final String READ_WRITE = "patient/appointment.read patient/appointment.write";

    /** Where the registry keeps its data: the parameter, so the test follows the embedded default if it changes. */
    enum Database {
        /** registry.db.url unset: the default URL, whose relative path resolves against the registry's working folder. */
        EMBEDDED_DEFAULT {
            @Override
            TestDatabase open(Path home) {
                String url = RegistryDatabase.DEFAULT_URL.replace("./", home.toAbsolutePath() + "/");
                return new TestDatabase(Map.of(), () -> DriverManager.getConnection(url, "sa", ""), () -> { });
            }
        },
        /** A PostgreSQL server beside the registry; only the registry is killed. */
        POSTGRESQL {
            @Override
            TestDatabase open(Path home) throws IOException {
                // The library turns synchronous_commit off for speed; a commit the registry acknowledges is on disk here.
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
                String url = postgres.getJdbcUrl("postgres", "postgres");
                return new TestDatabase(Map.of("registry.db.url", url, "registry.db.user", "postgres"),
                        () -> DriverManager.getConnection(url, "postgres", ""), postgres::close);
            }
        };

        abstract TestDatabase open(Path home) throws IOException;
    }

    record TestDatabase(Map<String, String> registryProperties, Connector connector, Closer closer) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            closer.close();
        }
    }

    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    @FunctionalInterface
    interface Closer {
        void close() throws IOException;
    }

    /** A registration as the client sent it: its identifier value and body. */
    record Booking(String identifier, String json) {
    }

    /** An acknowledged registration: the id the registry gave it and the body a cancel sends back. */
    record Registered(String id, String identifier, String cancelJson) {
    }

    private final Map<String, Registered> registered = new ConcurrentHashMap<>();
    private final Set<String> cancelAcknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelUnanswered = ConcurrentHashMap.newKeySet();
    private final Queue<Registered> cancellable = new ConcurrentLinkedQueue<>();
    private final Queue<Booking> unanswered = new ConcurrentLinkedQueue<>();
    private final Set<String> identifiersSent = ConcurrentHashMap.newKeySet();
    private final Set<String> retriedIdentifiers = ConcurrentHashMap.newKeySet();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger acknowledgedThisCycle = new AtomicInteger();

    private Path home;
    private int port;
    private int managementPort;
    private SSLContext tls;

    @ParameterizedTest
    @EnumSource(Database.class)
    void killedUnderLoadTheRegistryLosesNoAcknowledgedWriteAndRegistersNoIdentifierTwice(Database kind) throws Exception {
        home = Files.createTempDirectory("registry-killed");
        port = freePort();
        managementPort = freePort();
        try (TestDatabase database = kind.open(home)) {
            Map<String, String> properties = new LinkedHashMap<>(database.registryProperties());
            properties.put("registry.http.host", "127.0.0.1");
            properties.put("registry.http.port", Integer.toString(port));
            properties.put("registry.base-url", baseUrl());
            properties.put("registry.dev.dir", home.resolve("dev").toString());
            properties.put("camel.management.host", "127.0.0.1");
            properties.put("camel.management.port", Integer.toString(managementPort));

            int killedInFlight = 0;
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                RegistryJarProcess registry = start(properties, cycle);
                retryUnanswered();
                killedInFlight += runUntilKilled(registry);
            }

            RegistryJarProcess registry = start(properties, CYCLES + 1);
            try {
                retryUnanswered();
                assertThat(unexpected).as("answers other than the contract's").isEmpty();
                assertThat(killedInFlight).as("requests in flight at the kills").isPositive();
                assertThat(cancelAcknowledged).as("acknowledged cancels").isNotEmpty();
                everyAcknowledgedWriteReadsBack();
                everyRetriedIdentifierIsFoundOnce();
            } finally {
                registry.stop();
            }
            theDatabaseHoldsEachIdentifierSentOnce(database);
            System.out.printf("KilledRegistryIT %s: %d kills with %d requests in flight, %d registrations and %d cancels"
                    + " acknowledged, %d registrations sent again after a kill%n", kind, CYCLES, killedInFlight,
                    registered.size(), cancelAcknowledged.size(), retriedIdentifiers.size());
        } finally {
            Folders.deleteRecursively(home);
        }
    }

    private RegistryJarProcess start(Map<String, String> properties, int run) throws InterruptedException {
        long started = System.nanoTime();
        RegistryJarProcess registry = RegistryJarProcess.start(home, properties, home.resolve("registry-" + run + ".log"));
        registry.awaitReady(managementPort, START_TIMEOUT);
        System.out.printf("KilledRegistryIT: start %d ready after %d ms%n", run, (System.nanoTime() - started) / 1_000_000);
        if (tls == null) { // the first start made the development material
            DevMaterial dev = DevMaterial.load(home.resolve("dev"));
            tls = TestCertificates.clientContext(dev.clientKeystore(), dev.password(), dev.truststore(), dev.password());
        }
        return registry;
    }

    /** Load from {@value #CONNECTIONS} connections, a SIGKILL while it runs; returns how many requests were in flight then. */
    private int runUntilKilled(RegistryJarProcess registry) throws InterruptedException {
        acknowledgedThisCycle.set(0);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> connections = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Client client = new Client("killed-" + c);
            Thread connection = new Thread(() -> {
                while (!stop.get()) {
                    Registered toCancel = ThreadLocalRandom.current().nextDouble() < CANCEL_SHARE ? cancellable.poll() : null;
                    if (toCancel != null) {
                        cancel(client, toCancel);
                    } else {
                        register(client, newBooking(), false);
                    }
                }
            }, "load-" + c);
            connection.start();
            connections.add(connection);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (acknowledgedThisCycle.get() < WRITES_BEFORE_KILL && System.nanoTime() < deadline && unexpected.isEmpty()) {
            Thread.sleep(10);
        }
        Thread.sleep(ThreadLocalRandom.current().nextLong(KILL_WINDOW_MILLIS));
        int inFlightAtKill = inFlight.get();
        registry.kill();
        stop.set(true);
        for (Thread connection : connections) {
            connection.join();
        }
        assertThat(unexpected).as("answers other than the contract's, log:\n%s", registry.logTail()).isEmpty();
        assertThat(acknowledgedThisCycle.get()).as("writes acknowledged before the kill").isGreaterThanOrEqualTo(WRITES_BEFORE_KILL);
        return inFlightAtKill;
    }

    private Booking newBooking() {
        String identifier = "urn:uuid:" + UUID.randomUUID();
        String nhsNumber = TestNhsNumbers.valid(ThreadLocalRandom.current().nextInt(1000));
        Appointment appointment = TestAppointments.booked(nhsNumber, identifier, Instant.now().plus(1, ChronoUnit.DAYS));
        identifiersSent.add(identifier);
        return new Booking(identifier, TestAppointments.json(appointment));
    }

    /**
     * Sends a registration. No answer: it may or may not have been committed, so it is kept to send again. A second
     * attempt must be created (201), or refused as a duplicate (422) when the first attempt was committed.
     */
    private void register(Client client, Booking booking, boolean again) {
        HttpResponse<String> response;
        try {
            response = client.send(client.request("/Appointment").header("Content-Type", "application/fhir+json")
                    .POST(BodyPublishers.ofString(booking.json())));
        } catch (IOException noAnswer) {
            unanswered.add(booking);
            return;
        }
        if (response.statusCode() == 201) {
            Appointment stored = Responses.resource(response, Appointment.class);
            String id = stored.getIdElement().getIdPart();
            stored.setStatus(Appointment.AppointmentStatus.CANCELLED);
            Registered acknowledged = new Registered(id, booking.identifier(), TestAppointments.json(stored));
            registered.put(id, acknowledged);
            cancellable.add(acknowledged);
            acknowledgedThisCycle.incrementAndGet();
        } else if (!(again && isDuplicate(response))) {
            unexpected.add("register" + (again ? " again" : "") + ": " + response.statusCode() + " " + response.body());
        }
    }

    private static boolean isDuplicate(HttpResponse<String> response) {
        return response.statusCode() == 422 && Responses.resource(response, OperationOutcome.class).getIssueFirstRep()
                .getDetails().getCodingFirstRep().getCode().equals("DUPLICATE_REJECTED");
    }

    /** Cancels version 1 of an acknowledged registration, with the body as the registry returned it. */
    private void cancel(Client client, Registered appointment) {
        HttpResponse<String> response;
        try {
            response = client.send(client.request("/Appointment/" + appointment.id())
                    .header("Content-Type", "application/fhir+json").header("If-Match", "W/\"1\"")
                    .PUT(BodyPublishers.ofString(appointment.cancelJson())));
        } catch (IOException noAnswer) {
            cancelUnanswered.add(appointment.id());
            return;
        }
        if (response.statusCode() == 200 && response.headers().firstValue("ETag").equals(Optional.of("W/\"2\""))) {
            cancelAcknowledged.add(appointment.id());
            acknowledgedThisCycle.incrementAndGet();
        } else if (response.statusCode() == 404) {
            unexpected.add("cancel: 404, the acknowledged registration " + appointment.id() + " was lost in a kill");
        } else {
            unexpected.add("cancel: " + response.statusCode() + " " + response.body());
        }
    }

    /** Every registration that got no answer before a kill, sent again on the restarted registry. */
    private void retryUnanswered() {
        Client client = new Client("retry");
        for (Booking booking = unanswered.poll(); booking != null; booking = unanswered.poll()) {
            retriedIdentifiers.add(booking.identifier());
            register(client, booking, true);
        }
        assertThat(unanswered).as("registrations with no answer from a running registry").isEmpty();
    }

    private void everyAcknowledgedWriteReadsBack() throws InterruptedException {
        Queue<Registered> toRead = new ConcurrentLinkedQueue<>(registered.values());
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Client client = new Client("reader-" + c);
            Thread reader = new Thread(() -> {
                for (Registered appointment = toRead.poll(); appointment != null; appointment = toRead.poll()) {
                    String problem = readBack(client, appointment);
                    if (problem != null) {
                        wrong.add(appointment.id() + ": " + problem);
                    }
                }
            }, "reader-" + c);
            reader.start();
            readers.add(reader);
        }
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(wrong).as("acknowledged writes read back after %d kills", CYCLES).isEmpty();
    }

    /** What is wrong with the appointment as read now, or null. */
    private String readBack(Client client, Registered appointment) {
        HttpResponse<String> response;
        try {
            response = client.send(client.request("/Appointment/" + appointment.id()).GET());
        } catch (IOException e) {
            return "no answer: " + e;
        }
        if (response.statusCode() != 200) {
            return "status " + response.statusCode();
        }
        Appointment read = Responses.resource(response, Appointment.class);
        String state = response.headers().firstValue("ETag").orElse("no ETag") + " " + read.getStatus().toCode();
        if (!read.getIdentifierFirstRep().getValue().equals(appointment.identifier())) {
            return "identifier " + read.getIdentifierFirstRep().getValue();
        }
        boolean booked = state.equals("W/\"1\" booked");
        boolean cancelled = state.equals("W/\"2\" cancelled");
        if (cancelAcknowledged.contains(appointment.id())) {
            return cancelled ? null : "cancel acknowledged, found " + state;
        }
        if (cancelUnanswered.contains(appointment.id())) {
            return booked || cancelled ? null : "cancel unanswered, found " + state;
        }
        return booked ? null : "registered, found " + state;
    }

    /** Search by identifier for each registration sent again: exactly one appointment, whichever attempt made it. */
    private void everyRetriedIdentifierIsFoundOnce() {
        Client client = new Client("search");
        Map<String, Integer> notOnce = new HashMap<>();
        for (String identifier : retriedIdentifiers) {
            String query = URLEncoder.encode(TestAppointments.IDENTIFIER_SYSTEM + "|" + identifier, StandardCharsets.UTF_8);
            HttpResponse<String> response;
            try {
                response = client.send(client.request("/Appointment?identifier=" + query).GET());
            } catch (IOException e) {
                throw new IllegalStateException("search by identifier: no answer", e);
            }
            assertThat(response.statusCode()).as("search by identifier: %s", response.body()).isEqualTo(200);
            int found = Responses.resource(response, Bundle.class).getEntry().size();
            if (found != 1) {
                notOnce.put(identifier, found);
            }
        }
        assertThat(notOnce).as("identifiers of registrations sent again, not found exactly once").isEmpty();
    }

    /**
     * Each identifier the clients sent is registered once: as many appointments as identifiers sent, and each of those
     * identifiers in the registry's identifier table once. Every acknowledged write is there in the database too.
     */
    private void theDatabaseHoldsEachIdentifierSentOnce(TestDatabase database) throws SQLException {
        Map<String, Integer> appointmentsPerIdentifier = new HashMap<>();
        Map<String, String> versionAndStatus = new HashMap<>();
        int appointments;
        try (Connection connection = database.connector().connect(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT id_value FROM appointment_identifier")) {
                while (rows.next()) {
                    appointmentsPerIdentifier.merge(rows.getString(1), 1, Integer::sum);
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT id, version, status FROM appointment")) {
                while (rows.next()) {
                    versionAndStatus.put(rows.getString(1), rows.getInt(2) + " " + rows.getString(3));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM appointment")) {
                rows.next();
                appointments = rows.getInt(1);
            }
        }
        assertThat(appointmentsPerIdentifier.keySet()).as("identifiers registered").isEqualTo(identifiersSent);
        assertThat(appointmentsPerIdentifier.values()).as("registrations per identifier").allMatch(n -> n == 1);
        assertThat(appointments).as("appointments").isEqualTo(identifiersSent.size());
        for (Registered appointment : registered.values()) {
            String expected = cancelAcknowledged.contains(appointment.id()) ? "2 cancelled"
                    : cancelUnanswered.contains(appointment.id()) ? null : "1 booked";
            assertThat(versionAndStatus).as("appointment %s", appointment.id()).containsKey(appointment.id());
            if (expected != null) {
                assertThat(versionAndStatus.get(appointment.id())).as("appointment %s", appointment.id()).isEqualTo(expected);
            }
        }
    }

    /** One keep-alive connection with its own token, as one client system. */
    private final class Client {
        private final HttpClient http;
        private final String token;

        Client(String subject) {
            DevMaterial dev = DevMaterial.load(home.resolve("dev"));
            this.http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            this.token = DevTokens.mint(dev.signingKeyJwk(), RegistrySettings.DEV_ISSUER, baseUrl(), subject, READ_WRITE,
                    Duration.ofMinutes(30));
        }

        HttpRequest.Builder request(String pathAndQuery) {
            return HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token);
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
            inFlight.incrementAndGet();
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    private String baseUrl() {
        return "https://127.0.0.1:" + port + "/fhir";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
