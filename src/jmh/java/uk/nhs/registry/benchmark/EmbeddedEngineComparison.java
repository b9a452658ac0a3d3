package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Which engine should be the registry's embedded default: H2, SQLite, HSQLDB (and PostgreSQL, the production store,
 * for reference) side by side in one run, each with commits durable in its own sense. Three phases:
 * <ol>
 * <li>dialect: what the store's SQL meets on each engine ({@link DialectProbe});</li>
 * <li>write: the registration transaction (four inserts, one commit; {@link RegistrationRows}) from 16 threads
 * for a fixed time, the engines taking turns in rounds (the order rotated each round) so that the shared
 * machine's changes in speed hit all alike; registrations/s, latency, and CPU per registration (this JVM's
 * process CPU, plus the PostgreSQL server's processes from /proc);</li>
 * <li>seed: JDBC batches of the same four rows to each size in turn (the engines again taking turns, in chunks),
 * then, at each size, the bytes on disk and the registry's search by patient (10 appointments each).</li>
 * </ol>
 * Not part of the test suite; see docs/decisions/0001-embedded-store.md for the command and a run's figures.
 */
public final class EmbeddedEngineComparison {

    /** Appointments per patient in the seeded tables: every search returns this many. */
    static final int PER_PATIENT = 10;
    private static final int SEED_BATCH = 1_000;
    private static final int SEARCH_WARMUP = 500;

    private final Options options;
    private final RegistrationRows rows = new RegistrationRows();
    private final List<EngineCandidate> engines = new ArrayList<>();

    private EmbeddedEngineComparison(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path home = options.home != null ? Files.createDirectories(options.home) : Files.createTempDirectory("engines");
        EmbeddedEngineComparison comparison = new EmbeddedEngineComparison(options);
        try {
            comparison.run(home);
        } finally {
            for (EngineCandidate engine : comparison.engines) {
                engine.close();
            }
            if (options.home == null) {
                delete(home);
            }
        }
        // Hikari's housekeeping and HAPI's caches keep non-daemon threads alive.
        System.exit(0);
    }

    private void run(Path home) throws Exception {
        for (String name : options.engines) {
            engines.add(EngineCandidate.named(name, home));
        }
        say("Embedded engine comparison, " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + ", data in " + home
                + " (" + ProcStat.diskOf(home) + "), " + Runtime.getRuntime().availableProcessors() + " CPUs, Java "
                + Runtime.version());
        say("resource JSON per appointment: " + rows.resourceLength() + " characters (stored twice: current row and first version)");
        for (EngineCandidate engine : engines) {
            say("  " + engine.name() + ": " + engine.setup());
        }
        if (options.phases.contains("dialect")) {
            say("");
            say("# Dialect: the store's SQL on each engine");
            for (EngineCandidate engine : engines) {
                DialectProbe.probe(engine, home, rows).forEach(EmbeddedEngineComparison::say);
            }
        }
        if (options.phases.contains("write")) {
            write(home);
        }
        if (options.phases.contains("seed")) {
            seed(home);
        }
    }

    // ---------------------------------------------------------------- write

    /** One engine's figures over one timed round. */
    private record WriteRound(long registrations, double seconds, long jvmCpuMillis, long serverCpuMillis,
            Latencies latencies, Map<String, Long> errors) {
    }

    private void write(Path home) throws Exception {
        say("");
        say("# Write: " + options.threads + " threads registering, " + options.rounds + " rounds of " + options.seconds
                + " s per engine (after " + options.warmupSeconds + " s unmeasured), engines taking turns");
        Map<String, List<WriteRound>> results = new LinkedHashMap<>();
        for (EngineCandidate engine : engines) {
            results.put(engine.name(), new ArrayList<>());
            // A first, unmeasured turn: the JIT compiles this engine's code, the files are created.
            try (EngineCandidate.Opened db = engine.open(home, "write", options.threads)) {
                writeRound(engine, db, options.warmupSeconds, 0);
            }
        }
        for (int round = 1; round <= options.rounds; round++) {
            List<EngineCandidate> order = new ArrayList<>(engines);
            Collections.rotate(order, -(round - 1));
            for (EngineCandidate engine : order) {
                WriteRound result;
                try (EngineCandidate.Opened db = engine.open(home, "write", options.threads)) {
                    result = writeRound(engine, db, options.warmupSeconds, options.seconds);
                }
                results.get(engine.name()).add(result);
                say(String.format(Locale.ROOT, "round %d %-14s %8.0f registrations/s  %6.3f ms CPU each (JVM %.3f + server %.3f)"
                                + "  p50 %6.2f ms  p99 %7.2f ms  errors %s",
                        round, engine.name(), result.registrations / result.seconds,
                        (result.jvmCpuMillis + result.serverCpuMillis) / (double) Math.max(1, result.registrations),
                        result.jvmCpuMillis / (double) Math.max(1, result.registrations),
                        result.serverCpuMillis / (double) Math.max(1, result.registrations),
                        result.latencies.percentileMillis(50), result.latencies.percentileMillis(99), result.errors));
            }
        }
        say("");
        say("| engine | registrations/s (median of rounds) | vs h2 | CPU ms per registration | p50 | p99 | errors | disk bytes per registration (open / closed) |");
        say("|---|---|---|---|---|---|---|---|");
        double h2Rate = results.containsKey("h2") ? medianRate(results.get("h2")) : Double.NaN;
        for (EngineCandidate engine : engines) {
            List<WriteRound> rounds = results.get(engine.name());
            double rate = medianRate(rounds);
            long registrations = rounds.stream().mapToLong(WriteRound::registrations).sum();
            long cpu = rounds.stream().mapToLong(r -> r.jvmCpuMillis + r.serverCpuMillis).sum();
            Latencies all = Latencies.merge(rounds.stream().map(WriteRound::latencies).toList());
            Map<String, Long> errors = new TreeMap<>();
            rounds.forEach(r -> r.errors.forEach((k, v) -> errors.merge(k, v, Long::sum)));
            long stored;
            long openBytes;
            try (EngineCandidate.Opened db = engine.open(home, "write", 2)) {
                stored = count(db.dataSource());
                openBytes = db.bytesOnDisk();
            }
            long closedBytes = engine.bytesAtRest(home, "write");
            say(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.3f | %.2f ms | %.2f ms | %s | %,d / %s (%,d rows) |",
                    engine.name(), rate, rate / h2Rate, cpu / (double) Math.max(1, registrations),
                    all.percentileMillis(50), all.percentileMillis(99), errors.isEmpty() ? "0" : errors.toString(),
                    openBytes / Math.max(1, stored), closedBytes < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", closedBytes / Math.max(1, stored)), stored));
        }
    }

    private static double medianRate(List<WriteRound> rounds) {
        double[] rates = rounds.stream().mapToDouble(r -> r.registrations / r.seconds).sorted().toArray();
        return rates.length == 0 ? Double.NaN : rates[rates.length / 2];
    }

    /** Registers from {@code threads} threads for warm-up + measured seconds; counts only what finished in the measured part. */
    private WriteRound writeRound(EngineCandidate engine, EngineCandidate.Opened db, int warmupSeconds, int seconds)
            throws InterruptedException {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Long> errors = new ConcurrentHashMap<>();
        List<Latencies> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long[] counts = new long[options.threads];
        for (int t = 0; t < options.threads; t++) {
            Latencies mine = new Latencies();
            latencies.add(mine);
            int index = t;
            Thread thread = new Thread(() -> {
                while (!stop.get()) {
                    RegistrationRows.Row row = rows.row(BulkSeeder.seededPatient(ThreadLocalRandom.current().nextInt(100_000)));
                    long started = System.nanoTime();
                    boolean ok = register(db.dataSource(), row, errors);
                    if (measuring.get()) {
                        mine.record(System.nanoTime() - started, ok);
                        if (ok) {
                            counts[index]++;
                        }
                    }
                }
            }, engine.name() + "-writer-" + t);
            threads.add(thread);
            thread.start();
        }
        Thread.sleep(warmupSeconds * 1000L);
        long cpu0 = processCpuMillis();
        long server0 = engine.serverCpuMillis();
        long t0 = System.nanoTime();
        measuring.set(true);
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        long t1 = System.nanoTime();
        long cpu1 = processCpuMillis();
        long server1 = engine.serverCpuMillis();
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        return new WriteRound(Arrays.stream(counts).sum(), (t1 - t0) / 1e9, cpu1 - cpu0, server1 - server0,
                Latencies.merge(latencies), seconds == 0 ? Map.of() : new TreeMap<>(errors));
    }

    private static boolean register(DataSource dataSource, RegistrationRows.Row row, Map<String, Long> errors) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                RegistrationRows.register(c, row);
                return true;
            } catch (SQLException e) {
                c.rollback();
                errors.merge(e.getSQLState() + "/" + e.getErrorCode(), 1L, Long::sum);
                return false;
            }
        } catch (SQLException e) {
            errors.merge("connection " + e.getSQLState(), 1L, Long::sum);
            return false;
        }
    }

    // ---------------------------------------------------------------- seed and search

    private void seed(Path home) throws Exception {
        List<EngineCandidate> seeded = new ArrayList<>();
        for (EngineCandidate engine : engines) {
            if (seeded.stream().noneMatch(engine::sameFilesAs)) {
                seeded.add(engine);
            }
        }
        say("");
        say("# Seed and search: JDBC batches (" + SEED_BATCH + " appointments, 4 rows each, per commit), "
                + PER_PATIENT + " appointments per patient; engines taking turns in chunks of " + options.chunk
                + ", each seeding for at most " + options.seedMinutes + " min in all; at each size, search by patient"
                + " from one thread, " + options.searches + " random patients after " + SEARCH_WARMUP + " unmeasured");
        Map<String, Long> present = new LinkedHashMap<>();
        Map<String, Long> measured = new LinkedHashMap<>();
        Map<String, Double> seedSeconds = new LinkedHashMap<>();
        seeded.forEach(e -> {
            present.put(e.name(), 0L);
            measured.put(e.name(), 0L);
            seedSeconds.put(e.name(), 0.0);
        });
        double budget = options.seedMinutes * 60.0;
        List<String> table = new ArrayList<>();
        table.add("| engine | appointments | seeding appointments/s | disk bytes (open / closed) | bytes per appointment (open / closed) | search p50 | search p99 | search CPU ms each | searches/s |");
        table.add("|---|---|---|---|---|---|---|---|---|");
        for (long target : options.sizes) {
            List<EngineCandidate> behind;
            while (!(behind = seeded.stream().filter(e -> present.get(e.name()) < target
                    && seedSeconds.get(e.name()) < budget).toList()).isEmpty()) {
                for (EngineCandidate engine : behind) {
                    long from = present.get(engine.name());
                    long to = Math.min(target, from + options.chunk);
                    long started = System.nanoTime();
                    try (EngineCandidate.Opened db = engine.open(home, "seed", 2)) {
                        seedRange(db.dataSource(), from, to);
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    seedSeconds.merge(engine.name(), seconds, Double::sum);
                    present.put(engine.name(), to);
                    say(String.format(Locale.ROOT, "  %s %-12s seeded %,d -> %,d in %.1f s (%.0f/s)",
                            LocalTime.now().truncatedTo(ChronoUnit.SECONDS), engine.name(), from, to, seconds, (to - from) / seconds));
                }
            }
            for (EngineCandidate engine : seeded) {
                long count = present.get(engine.name());
                if (count == measured.get(engine.name())) {
                    continue;
                }
                measured.put(engine.name(), count);
                SearchResult search;
                long bytes;
                try (EngineCandidate.Opened db = engine.open(home, "seed", 2)) {
                    search = search(engine, db.dataSource(), count);
                    bytes = db.bytesOnDisk();
                }
                long atRest = engine.bytesAtRest(home, "seed");
                String line = String.format(Locale.ROOT, "| %s | %,d%s | %.0f | %,d / %s | %,d / %s | %.3f ms | %.3f ms | %.3f | %.0f |",
                        engine.name(), count, count < target ? " (its seeding time spent)" : "",
                        count / Math.max(1e-9, seedSeconds.get(engine.name())), bytes, atRest < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", atRest),
                        bytes / Math.max(1, count), atRest < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", atRest / Math.max(1, count)),
                        search.latencies.percentileMillis(50), search.latencies.percentileMillis(99), search.cpuMillisEach,
                        search.perSecond);
                table.add(line);
                say(line);
            }
        }
        say("");
        table.forEach(EmbeddedEngineComparison::say);
    }

    /** Appointment i belongs to patient (i / 1000) * 100 + i % 100: ten per patient, spread over their block of 1,000. */
    static long patientOf(long appointment) {
        return (appointment / 1_000) * 100 + appointment % 100;
    }

    private void seedRange(DataSource dataSource, long from, long to) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<RegistrationRows.Row> batch = new ArrayList<>(SEED_BATCH);
            for (long i = from; i < to; i++) {
                batch.add(rows.row(BulkSeeder.seededPatient(patientOf(i))));
                if (batch.size() == SEED_BATCH || i + 1 == to) {
                    RegistrationRows.seed(c, batch);
                    batch.clear();
                }
            }
        }
    }

    private record SearchResult(Latencies latencies, double cpuMillisEach, double perSecond) {
    }

    private SearchResult search(EngineCandidate engine, DataSource dataSource, long appointments) throws SQLException {
        long patients = Math.max(1, appointments / PER_PATIENT);
        Latencies latencies = new Latencies();
        long cpu0 = 0;
        long server0 = 0;
        long t0 = 0;
        long found = 0;
        for (int i = 0; i < SEARCH_WARMUP + options.searches; i++) {
            if (i == SEARCH_WARMUP) {
                cpu0 = processCpuMillis();
                server0 = engine.serverCpuMillis();
                t0 = System.nanoTime();
            }
            String nhs = BulkSeeder.seededPatient(ThreadLocalRandom.current().nextLong(patients));
            long started = System.nanoTime();
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RegistrationRows.SEARCH_BY_PATIENT)) {
                s.setString(1, nhs);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        r.getString(1);
                        r.getInt(2);
                        r.getLong(3);
                        r.getString(4);
                        r.getString(5);
                        found++;
                    }
                }
            }
            if (i >= SEARCH_WARMUP) {
                latencies.record(System.nanoTime() - started);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpu = processCpuMillis() - cpu0 + engine.serverCpuMillis() - server0;
        long expected = (long) (SEARCH_WARMUP + options.searches) * Math.min(PER_PATIENT, appointments);
        if (found != expected) {
            say("  (" + engine.name() + ": searches found " + found + " appointments, expected " + expected + ")");
        }
        return new SearchResult(Latencies.merge(List.of(latencies)), cpu / (double) options.searches,
                options.searches / seconds);
    }

    // ---------------------------------------------------------------- helpers

    private static long count(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM appointment")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long processCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()
                / 1_000_000;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void delete(Path home) throws IOException {
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Command-line options: --name value pairs. */
    private static final class Options {
        List<String> engines = List.of("h2", "sqlite-full", "sqlite-full-1", "sqlite-normal", "sqlite-normal-1", "hsqldb", "postgresql");
        List<String> phases = List.of("dialect", "write", "seed");
        int threads = 16;
        int rounds = 3;
        int seconds = 8;
        int warmupSeconds = 2;
        List<Long> sizes = List.of(1_000L, 100_000L, 1_000_000L);
        int searches = 3_000;
        int chunk = 25_000;
        int seedMinutes = 5;
        Path home;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--engines" -> o.engines = List.of(value.split(","));
                    case "--phases" -> o.phases = List.of(value.split(","));
                    case "--threads" -> o.threads = Integer.parseInt(value);
                    case "--rounds" -> o.rounds = Integer.parseInt(value);
                    case "--seconds" -> o.seconds = Integer.parseInt(value);
                    case "--warmup-seconds" -> o.warmupSeconds = Integer.parseInt(value);
                    case "--sizes" -> o.sizes = Arrays.stream(value.split(",")).map(String::trim).map(Long::parseLong).toList();
                    case "--searches" -> o.searches = Integer.parseInt(value);
                    case "--chunk" -> o.chunk = Integer.parseInt(value);
                    case "--seed-minutes" -> o.seedMinutes = Integer.parseInt(value);
                    case "--home" -> o.home = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --engines --phases"
                            + " --threads --rounds --seconds --warmup-seconds --sizes --searches --chunk --seed-minutes --home");
                }
            }
            return o;
        }
    }
}
