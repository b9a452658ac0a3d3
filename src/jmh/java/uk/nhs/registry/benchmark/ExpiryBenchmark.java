package uk.nhs.registry.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import uk.nhs.registry.RegistrySettings;
import uk.nhs.registry.security.dev.DevMaterial;
import uk.nhs.registry.security.dev.DevTokens;
import uk.nhs.registry.store.RegistryDatabase;
import uk.nhs.registry.testsupport.TestCertificates;

/**
 * Expiry of a backlog under load (CONTRACT §6: a backlog "neither blocks registrations nor holds one
 * long lock"). Seeds a backlog of due appointments with JDBC, then, per round, starts the registry
 * jar twice on that database: once without expiry (the baseline) and once with
 * {@code registry.expiry.after-created=P400D}, whose run at start expires the whole backlog; both
 * times it registers at the same paced rate over HTTPS for the same window. Prints registration
 * latency and registry CPU per second side by side, how long the backlog took (read from
 * registry_appointments_expired_total on the management port), and p50/p99 of the registrations
 * made while expiry was running against the same seconds of the baseline.
 *
 * <p>Options: {@code --jar target/appointment-registry.jar --database hsqldb|h2|postgresql --backlog 200000
 * --rate 50 --connections 8 --seconds 120 --batch-size 500 --rounds 1}. Build the jar first
 * ({@code mvn -o -q package -DskipTests}), then {@code mvn -o -Pbenchmark test-compile exec:exec@expiry
 * -Dexpiry.args="--backlog 200000"}.
 */
public final class ExpiryBenchmark {

    // HTTP/1.1 and one client: the JDK client's default h2c upgrade attempt against the management server
    // hung a scrape past its request timeout, and with it the paced run's counter thread.
    private static final HttpClient SCRAPER = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern EXPIRED = Pattern.compile("(?m)^registry_appointments_expired_total\\{[^}]*}\\s+(\\S+)$");

    private ExpiryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path jar = Path.of(o.getOrDefault("jar", "target/appointment-registry.jar")).toAbsolutePath();
        Path home = Files.createTempDirectory("registry-expiry-bench");
        int port = Integer.parseInt(o.getOrDefault("port", "18643"));
        int backlog = Integer.parseInt(o.getOrDefault("backlog", "200000"));
        int rate = Integer.parseInt(o.getOrDefault("rate", "50"));
        int connections = Integer.parseInt(o.getOrDefault("connections", "8"));
        Duration window = Duration.ofSeconds(Long.parseLong(o.getOrDefault("seconds", "120")));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "1"));
        String batchSize = o.getOrDefault("batch-size", "500");
        List<String> jvmArgs = Arrays.stream(o.getOrDefault("registry-jvm-args", "-Xmx150m -Xmn32m -XX:+UseSerialGC")
                .split("\\s+")).filter(s -> !s.isBlank()).toList();
        try (BenchmarkDatabase database = BenchmarkDatabase.named(o.getOrDefault("database", "hsqldb"), home, "", "")) {
            System.out.printf("expiry benchmark: backlog %d, registering at %d/s over %d connections for %d s, batch size %s,"
                    + " %s, %d CPUs, %s%n", backlog, rate, connections, window.toSeconds(), batchSize, database.describe(),
                    Runtime.getRuntime().availableProcessors(), home);
            for (int round = 1; round <= rounds; round++) {
                long seedStart = System.nanoTime();
                seedDueBacklog(database, backlog);
                System.out.printf("round %d: seeded %d due appointments in %.1f s%n", round, backlog,
                        (System.nanoTime() - seedStart) / 1e9);
                Run baseline = run("without expiry", jar, home, port, jvmArgs, database, backlog, rate, connections, window, List.of());
                Run expiring = run("with expiry", jar, home, port, jvmArgs, database, backlog, rate, connections, window,
                        List.of("-Dregistry.expiry.after-created=P400D", "-Dregistry.expiry.interval=PT1H",
                                "-Dregistry.expiry.batch-size=" + batchSize));
                report(baseline, expiring, backlog);
            }
        }
    }

    private record Run(String name, PacedRun.Result result, long expiredAtReady, long readyToDoneMillis) {
    }

    private static Run run(String name, Path jar, Path home, int port, List<String> jvmArgs, BenchmarkDatabase database,
            int backlog, int rate, int connections, Duration window, List<String> expiryArgs) throws Exception {
        List<String> args = new ArrayList<>(jvmArgs);
        args.addAll(expiryArgs);
        try (RegistryProcess registry = RegistryProcess.start(jar, home, port, args, database)) {
            long ready = System.nanoTime();
            long expiredAtReady = expired(port);
            List<RegistryClient> clients = clients(home, port, connections);
            PacedRun.Counter expiredCounter = new PacedRun.Counter("expired", "", () -> expired(port));
            PacedRun.Counter cpu = new PacedRun.Counter("registry CPU", "ms", registry::cpuMillis);
            // Watches for the end of the backlog beside the paced run.
            long[] doneAt = {-1};
            Thread watcher = new Thread(() -> {
                long giveUp = ready + window.toNanos() + 30_000_000_000L;
                while (!expiryArgs.isEmpty() && doneAt[0] < 0 && System.nanoTime() < giveUp) {
                    if (expired(port) >= backlog) {
                        doneAt[0] = System.nanoTime();
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "expiry-watcher");
            watcher.setDaemon(true);
            watcher.start();
            PacedRun.Result result = PacedRun.run(Scenario.REGISTER, rate, clients, new Workload(), Duration.ZERO, window,
                    List.of(expiredCounter, cpu));
            watcher.interrupt();
            long doneMillis = doneAt[0] < 0 ? -1 : (doneAt[0] - ready) / 1_000_000;
            System.out.printf("%-15s %s | registry CPU %.2f ms/registration (expiry's included)%n", name, result.line(),
                    cpuDuring(result) / Math.max(1, result.answered()));
            return new Run(name, result, expiredAtReady, doneMillis);
        }
    }

    private static double cpuDuring(PacedRun.Result result) {
        long[][] r = result.readings();
        return r[r.length - 1][1] - r[0][1];
    }

    private static void report(Run baseline, Run expiring, int backlog) {
        PacedRun.Result b = baseline.result();
        PacedRun.Result e = expiring.result();
        long[][] er = e.readings();
        // the seconds of the window in which the expired count still rose
        int lastExpiringSecond = -1;
        for (int s = 0; s < e.perSecond().size(); s++) {
            if (er[s + 1][0] > er[s][0]) {
                lastExpiringSecond = s;
            }
        }
        long expiredTotal = er[er.length - 1][0];
        System.out.printf("backlog: %d expired before the TLS port opened; all %d expired %s after the port opened%s%n",
                expiring.expiredAtReady(), expiredTotal,
                expiring.readyToDoneMillis() < 0 ? "(not within the window)" : String.format("%.1f s", expiring.readyToDoneMillis() / 1e3),
                expiredTotal == backlog ? "" : " (EXPECTED " + backlog + ")");
        System.out.println("second | baseline: sent p50 p99 ms, CPU ms | with expiry: sent p50 p99 ms, CPU ms, expired");
        for (int s = 0; s < Math.min(b.perSecond().size(), e.perSecond().size()); s++) {
            Latencies bl = b.perSecond().get(s);
            Latencies el = e.perSecond().get(s);
            System.out.printf("%6d | %4d %7.2f %7.2f %5d | %4d %7.2f %7.2f %5d %6d%n", s, bl.count(), bl.percentileMillis(50),
                    bl.percentileMillis(99), b.readings()[s + 1][1] - b.readings()[s][1], el.count(), el.percentileMillis(50),
                    el.percentileMillis(99), er[s + 1][1] - er[s][1], er[s + 1][0] - er[s][0]);
        }
        if (lastExpiringSecond >= 0) {
            int n = lastExpiringSecond + 1;
            Latencies during = Latencies.merge(e.perSecond().subList(0, n));
            Latencies same = Latencies.merge(b.perSecond().subList(0, n));
            System.out.printf("while expiry ran (seconds 0-%d): registration p50 %.2f ms, p99 %.2f ms, max %.2f ms, errors %d;"
                    + " baseline same seconds: p50 %.2f ms, p99 %.2f ms, max %.2f ms, errors %d%n", lastExpiringSecond,
                    during.percentileMillis(50), during.percentileMillis(99), during.maxMillis(), during.errors(),
                    same.percentileMillis(50), same.percentileMillis(99), same.maxMillis(), same.errors());
        }
        System.out.printf("whole window: with expiry p50 %.2f p99 %.2f ms; baseline p50 %.2f p99 %.2f ms%n",
                e.latencies().percentileMillis(50), e.latencies().percentileMillis(99),
                b.latencies().percentileMillis(50), b.latencies().percentileMillis(99));
    }

    /** registry_appointments_expired_total from the management port (all flavours); -1 if it cannot be read. */
    private static long expired(int port) {
        try {
            HttpResponse<String> scrape = SCRAPER.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + (port + 1) + "/observe/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = EXPIRED.matcher(scrape.body());
            double sum = 0;
            boolean found = false;
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
                found = true;
            }
            return found ? (long) sum : 0;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * The backlog, in JDBC batches like BulkSeeder's (current row, identifier, version, each with a resource), made due
     * for after-created=P400D by a created 500 days ago; what the registry registers during the runs is created now.
     * Ids and identifiers are new each round, so rounds can follow each other on one database.
     */
    private static void seedDueBacklog(BenchmarkDatabase database, int backlog) throws Exception {
        String round = Long.toString(System.nanoTime(), 36);
        long now = Instant.now().toEpochMilli();
        long created = Instant.now().minus(500, ChronoUnit.DAYS).toEpochMilli();
        try (RegistryDatabase db = RegistryDatabase.open(database.url(), database.user(), database.password(), 2);
                Connection c = db.dataSource().getConnection();
                PreparedStatement current = c.prepareStatement("INSERT INTO appointment (id, version, status, nhs_number,"
                        + " start_millis, last_updated, resource, created_millis, end_millis) VALUES (?, 1, 'booked', ?, ?, ?, ?, ?, ?)");
                PreparedStatement identifier = c.prepareStatement(
                        "INSERT INTO appointment_identifier (id_system, id_value, appointment_id) VALUES ('urn:expiry-seed', ?, ?)");
                PreparedStatement version = c.prepareStatement("INSERT INTO appointment_version"
                        + " (id, version, status, last_updated, resource, actor_source) VALUES (?, 1, 'booked', ?, ?, 'seed')")) {
            c.setAutoCommit(false);
            for (int i = 0; i < backlog; i++) {
                String id = "seed-" + round + "-" + i;
                String nhs = BulkSeeder.seededPatient(i / BulkSeeder.PER_PATIENT);
                long start = now + (1 + i % 300) * 86_400_000L;
                String json = "{\"resourceType\":\"Appointment\",\"id\":\"" + id + "\",\"identifier\":[{\"system\":"
                        + "\"urn:expiry-seed\",\"value\":\"" + id + "\"}],\"status\":\"booked\",\"start\":\""
                        + Instant.ofEpochMilli(start) + "\",\"created\":\"" + Instant.ofEpochMilli(created)
                        + "\",\"participant\":[{\"actor\":{\"identifier\":{\"system\":\"https://fhir.nhs.uk/Id/nhs-number\","
                        + "\"value\":\"" + nhs + "\"}},\"status\":\"accepted\"}]}";
                current.setString(1, id);
                current.setString(2, nhs);
                current.setLong(3, start);
                current.setLong(4, now);
                current.setString(5, json);
                current.setLong(6, created);
                current.setLong(7, start);
                current.addBatch();
                identifier.setString(1, id);
                identifier.setString(2, id);
                identifier.addBatch();
                version.setString(1, id);
                version.setLong(2, now);
                version.setString(3, json);
                version.addBatch();
                if ((i + 1) % 2_000 == 0 || i + 1 == backlog) {
                    current.executeBatch();
                    identifier.executeBatch();
                    version.executeBatch();
                    c.commit();
                }
            }
        }
    }

    private static List<RegistryClient> clients(Path home, int port, int connections) {
        DevMaterial dev = DevMaterial.load(home.resolve("dev"));
        SSLContext tls = TestCertificates.clientContext(dev.clientKeystore(), dev.password(), dev.truststore(), dev.password());
        String base = "https://127.0.0.1:" + port + "/fhir";
        List<RegistryClient> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            String token = DevTokens.mint(dev.signingKeyJwk(), RegistrySettings.DEV_ISSUER, base, "expiry-bench-" + i,
                    "patient/appointment.read patient/appointment.write", Duration.ofHours(2));
            clients.add(new RegistryClient(tls, base, token));
        }
        return clients;
    }
}
