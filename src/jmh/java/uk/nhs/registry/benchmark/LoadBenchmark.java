package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import uk.nhs.registry.RegistrySettings;
import uk.nhs.registry.security.dev.DevMaterial;
import uk.nhs.registry.security.dev.DevTokens;
import uk.nhs.registry.testsupport.Folders;
import uk.nhs.registry.testsupport.TestCertificates;

/**
 * The load benchmark: starts the registry's runnable jar on 127.0.0.1 twice (first start, then restart; mutual TLS, development
 * certificates, signed tokens, a fresh database: an HSQLDB file as by default, an H2 file, or a PostgreSQL server beside it), warms it up, then drives each
 * scenario closed-loop over keep-alive connections for a fixed time and prints requests/s,
 * latency percentiles, errors and the registry's peak RSS. Then it runs each paced item open-loop
 * at its offered rate over the same connections ({@link PacedRun}: latency from the intended send
 * time, corrected for coordinated omission; after 10 s at that rate), a line marked {@code @rate/s offered}. Everything
 * stops by itself.
 *
 * <p>Options (all optional): {@code --jar target/appointment-registry.jar --connections 16
 * --warmup-seconds 60 --seconds 20 --scenarios register,read,search,mix ("none" for none)
 * --paced register@700 (scenario@requests-per-second, comma-separated; "none" or "" for no paced run)
 * --paced-seconds 120 --paced-per-second false (true: also each second's latencies and the registry's and the server's CPU in it,
 * to see when a stall came and whose work came with it)
 * --jit-settle true (false: no warm-up per scenario beyond the 2 s or 10 s, see {@link #settleJit})
 * --machine-speed true (false: skip {@link MachineSpeed}'s ~20 s check of the host's speed before the registry starts and after it stops) --port 18443
 * --registry-jvm-args "-Xmx256m -XX:+UseSerialGC" (options for the registry's JVM, split at spaces; by default none, the
 * JVM's own ergonomics, as README command 1 starts it) --seed 1000,1000000
 * --home DIR} (default: a new temporary folder, deleted at the end) {@code --profile cpu} (or alloc, wall, lock: the
 * registry profiled by async-profiler through each paced run, see {@link RegistryProfiler}; off by default) {@code --database hsqldb} (the registry's default; "h2": an H2 file; "postgresql": an
 * embedded PostgreSQL server started for the run, data in the folder, durable commits; its CPU is printed too)
 * {@code --postgresql-settings name=value,...} (server settings added to its configuration, e.g. wal_compression=on)
 * {@code --h2-settings NAME=value,...} (added to the embedded URL, HSQLDB's or H2's, e.g. with h2 AUTO_COMPACT_FILL_RATE=70,WRITE_DELAY=10). With {@code --seed} it instead
 * seeds the database to each count in turn (JDBC batches, the registry stopped) and measures
 * search-by-patient at each, to show whether search latency grows with the table.
 */
public final class LoadBenchmark {

    /** Before each closed-loop scenario, after the common warm-up: the switch from the previous scenario. */
    private static final Duration SCENARIO_WARM_UP = Duration.ofSeconds(2);
    private static final Duration PACED_WARM_UP = Duration.ofSeconds(10);
    /** Warm-up steps of a scenario's own load while the registry's JIT is still busy, and at most how many. */
    private static final Duration JIT_STEP = Duration.ofSeconds(10);
    private static final int MAX_JIT_STEPS = 30;
    /** Settled: the compilers used under 5 % of a core in a step. */
    private static final long SETTLED_COMPILER_MILLIS = JIT_STEP.toMillis() / 20;

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        Path jar = Path.of(o.getOrDefault("jar", "target/appointment-registry.jar")).toAbsolutePath();
        Path home = o.containsKey("home") ? Path.of(o.get("home")) : Files.createTempDirectory("registry-load");
        int port = Integer.parseInt(o.getOrDefault("port", "18443"));
        int connections = Integer.parseInt(o.getOrDefault("connections", "16"));
        Duration warmUp = Duration.ofSeconds(Long.parseLong(o.getOrDefault("warmup-seconds", "60")));
        Duration measured = Duration.ofSeconds(Long.parseLong(o.getOrDefault("seconds", "20")));
        // Longer than the closed-loop scenarios: at a steady rate a full collection comes every minute or two, and
        // a p99 measured over a window that happens to miss one (or catch one) says little.
        Duration pacedFor = Duration.ofSeconds(Long.parseLong(o.getOrDefault("paced-seconds", "120")));
        boolean perSecond = Boolean.parseBoolean(o.getOrDefault("paced-per-second", "false"));
        // None by default: the registry is started as README command 1 starts it, on the JVM's own ergonomics. Tuning
        // options are the operator's choice (README "JVM options"), and some of them are refused by older JDK 17 builds.
        List<String> jvmArgs = Arrays.stream(o.getOrDefault("registry-jvm-args", "").split("\\s+"))
                .filter(s -> !s.isBlank()).toList();
        try (BenchmarkDatabase database = BenchmarkDatabase.named(o.getOrDefault("database", "hsqldb"), home,
                o.getOrDefault("postgresql-settings", ""), o.getOrDefault("h2-settings", ""))) {
            System.out.printf("Load benchmark: %s, %d cores seen by this JVM, registry JVM args %s, %s, data in %s%n",
                    jar.getFileName(), Runtime.getRuntime().availableProcessors(), jvmArgs, database.describe(), home);
            boolean machineSpeed = Boolean.parseBoolean(o.getOrDefault("machine-speed", "true"));
            if (machineSpeed) {
                printMachineSpeed("before the registry starts");
            }
            if (o.containsKey("seed")) {
                seedMode(o.get("seed"), jar, home, port, connections, jvmArgs, database, measured);
            } else {
                loadMode(o.getOrDefault("scenarios", "register,read,search,mix"), o.getOrDefault("paced", "register@700"),
                        jar, home, port, connections, jvmArgs, database, warmUp, measured, pacedFor, perSecond,
                        Boolean.parseBoolean(o.getOrDefault("jit-settle", "true")), o.getOrDefault("profile", ""));
            }
            if (machineSpeed) {
                printMachineSpeed("after the registry stopped"); // the host may have changed during the run
            }
        } finally {
            // A run leaves gigabytes of H2 file behind (and a disk nearly full slows every later run): a folder
            // of our own goes; one given with --home is the caller's.
            if (!o.containsKey("home")) {
                Folders.deleteRecursively(home);
            }
        }
    }

    private static void loadMode(String scenarios, String paced, Path jar, Path home, int port, int connections,
            List<String> jvmArgs, BenchmarkDatabase database, Duration warmUp, Duration measured, Duration pacedFor,
            boolean perSecond, boolean jitSettle, String profile) throws Exception {
        // A first start also creates the development material (RSA keys: prime generation); a restart
        // of an existing installation does not. Both are printed; the load runs on the restart.
        try (RegistryProcess firstStart = RegistryProcess.start(jar, home, port, jvmArgs, database)) {
            printStartUp("first start", firstStart);
        }
        try (RegistryProcess registry = RegistryProcess.start(jar, home, port, jvmArgs, database)) {
            printStartUp("restart", registry);
            List<RegistryClient> clients = clients(home, port, connections);
            Workload workload = new Workload();
            prepare(workload, clients);
            System.out.printf("warm-up: mix for %d s%n", warmUp.toSeconds());
            LoadRun.run(Scenario.MIX, clients, workload, warmUp, Duration.ZERO);
            for (String name : items(scenarios)) {
                Scenario scenario = Scenario.named(name);
                if (jitSettle) {
                    settleJit(registry, scenario.name().toLowerCase() + " closed-loop",
                            () -> LoadRun.run(scenario, clients, workload, Duration.ZERO, JIT_STEP));
                }
                Cost cost = Cost.from(registry, database);
                LoadRun.Result result = LoadRun.run(scenario, clients, workload, SCENARIO_WARM_UP, measured);
                printWithCost(result.line(), result.latencies().count(), cost, SCENARIO_WARM_UP, measured);
            }
            for (String item : items(paced)) {
                String[] scenarioAtRate = item.trim().split("@");
                if (scenarioAtRate.length != 2) {
                    throw new IllegalArgumentException("--paced expects scenario@rate items, got " + item);
                }
                Scenario scenario = Scenario.named(scenarioAtRate[0]);
                int rate = Integer.parseInt(scenarioAtRate[1].trim());
                if (jitSettle) {
                    settleJit(registry, scenario.name().toLowerCase() + " at " + rate + "/s",
                            () -> PacedRun.run(scenario, rate, clients, workload, Duration.ZERO, JIT_STEP, List.of()));
                }
                Cost cost = Cost.from(registry, database);
                // A warm-up at the offered rate: the saturating closed-loop run before it leaves a nearly full old
                // generation and H2 compaction behind, which are not what a steady rate costs.
                // Stopped after the figures are printed, so that its own summary follows them.
                try (RegistryProfiler profiler = profile.isBlank() ? null : RegistryProfiler.start(profile, registry, home,
                        jar.resolveSibling("paced-" + scenario.name().toLowerCase() + "-" + rate + "-" + profile + ".collapsed"))) {
                    PacedRun.Result result = PacedRun.run(scenario, rate, clients, workload, PACED_WARM_UP, pacedFor,
                            withMachine(cost.counters(), registry, home));
                    printWithCost(result.line(), result.answered(), cost, PACED_WARM_UP, pacedFor);
                    if (perSecond) {
                        System.out.print(result.perSecondLines());
                    }
                }
            }
        }
    }

    /** One step of load, its figures not kept. */
    @FunctionalInterface
    private interface LoadStep {
        void run() throws InterruptedException;
    }

    /**
     * Runs the scenario's load in 10 s steps until the registry's JIT compilers used under 5 % of a core in a step
     * (at most 5 minutes), and prints how long that took. A registry meeting a new kind of load compiles for a
     * minute or two: on this 2-core machine, registrations after a mixed warm-up kept C2 at half a core for 10-20 s
     * and recompiled H2's MVMap.operate six times (1-4 s each; array-store type checks that fail as each table's key
     * type comes by). That is the cost of the first minutes after a start, printed here; the measured run after it
     * is the steady state.
     */
    private static void settleJit(RegistryProcess registry, String load, LoadStep step) throws InterruptedException {
        long compilerBefore = registry.compilerCpuMillis();
        if (compilerBefore < 0) {
            System.out.printf("JIT warm-up: skipped, the registry's threads cannot be read from /proc%n");
            return;
        }
        int steps = 0;
        long stepCompiler;
        do {
            long before = registry.compilerCpuMillis();
            step.run();
            stepCompiler = registry.compilerCpuMillis() - before;
            steps++;
        } while (stepCompiler >= SETTLED_COMPILER_MILLIS && steps < MAX_JIT_STEPS);
        System.out.printf("JIT warm-up: %s for %d s until the registry's JIT compilers used under 5 %% of a core in %d s"
                + " (%s; %d ms compiler CPU in all)%n", load, steps * JIT_STEP.toSeconds(), JIT_STEP.toSeconds(),
                stepCompiler >= 0 && stepCompiler < SETTLED_COMPILER_MILLIS ? "settled" : "NOT settled",
                registry.compilerCpuMillis() - compilerBefore);
    }

    /** The CPU counters at the start of a run (those of {@link #cpuCounters}) and this driver's. */
    private record Cost(RegistryProcess registry, List<PacedRun.Counter> counters, long[] readings, long driverCpu) {

        static Cost from(RegistryProcess registry, BenchmarkDatabase database) {
            List<PacedRun.Counter> counters = cpuCounters(registry, database);
            return new Cost(registry, counters, counters.stream().mapToLong(c -> c.reading().getAsLong()).toArray(),
                    driverCpuMillis());
        }
    }

    /**
     * The CPU a run reports, per request for the run and per second in the paced view: the registry's, and the
     * database server's when there is one (H2's cost is inside the registry's).
     */
    private static List<PacedRun.Counter> cpuCounters(RegistryProcess registry, BenchmarkDatabase database) {
        List<PacedRun.Counter> counters = new ArrayList<>();
        counters.add(new PacedRun.Counter("registry", "ms CPU", registry::cpuMillis));
        if (database.hasServer()) {
            counters.add(new PacedRun.Counter("PostgreSQL", "ms CPU", database::serverCpuMillis));
        }
        return counters;
    }

    /**
     * The per-second view also shows what the machine did to everyone: CPU time the host gave to other guests, and how
     * long the disk under the data folder was busy. A second whose latency rose while the registry used little CPU
     * is then told apart as the host's (stolen), the disk's (busy), or neither. The driver's own CPU is there because
     * its work is the same every paced second: when it rises in the same seconds as the registry's, that points at
     * the host running both slower, which steal time does not show. The time the registry's threads were ready to run
     * but waited for a CPU shows how much of a second's latency was queueing for the cores. Those two come from the
     * scheduler's per-thread figures, finer than stat's 10 ms ticks; the driver's CPU per request, over a whole
     * scenario, stays on the process total, which keeps the time of threads that have ended.
     */
    private static List<PacedRun.Counter> withMachine(List<PacedRun.Counter> counters, RegistryProcess registry,
            Path home) {
        List<PacedRun.Counter> all = new ArrayList<>(counters);
        SchedulerTotals driverRan = new SchedulerTotals(ProcessHandle.current().pid(), SchedulerTotals.Figure.RAN);
        all.add(new PacedRun.Counter("driver", "ms CPU", driverRan::millis));
        SchedulerTotals registryWaited = new SchedulerTotals(registry.pid(), SchedulerTotals.Figure.WAITED);
        all.add(new PacedRun.Counter("registry waited for a CPU", "ms", registryWaited::millis));
        all.add(new PacedRun.Counter("CPU stolen", "ms", ProcStat::stolenMillis));
        String disk = ProcStat.diskOf(home);
        all.add(new PacedRun.Counter("disk busy", "ms", () -> ProcStat.diskBusyMillis(disk)));
        return all;
    }

    /** {@code requests} is the count in the measured time; the warm-up before it is assumed to run at the same rate. */
    private static void printWithCost(String line, long requests, Cost before, Duration warmUp, Duration measured) {
        // CPU per request is the figure least disturbed by other work on a shared machine.
        double perRequest = requests * (double) (measured.toMillis() + warmUp.toMillis()) / measured.toMillis();
        StringBuilder costs = new StringBuilder();
        for (int c = 0; c < before.counters().size(); c++) {
            PacedRun.Counter counter = before.counters().get(c);
            long now = counter.reading().getAsLong();
            if (now >= 0 && before.readings()[c] >= 0) {
                costs.append(String.format(" | %s %.2f ms CPU/request", counter.name(), (now - before.readings()[c]) / perRequest));
            }
            if (c == 0) { // the registry's
                costs.append(String.format(", RSS now %d MB, peak %d MB", before.registry().rssMb(),
                        before.registry().peakRssMb()));
            }
        }
        System.out.printf("%s %s | driver %.2f ms CPU/request%n", line, costs,
                (driverCpuMillis() - before.driverCpu()) / perRequest);
    }

    private static void seedMode(String counts, Path jar, Path home, int port, int connections, List<String> jvmArgs,
            BenchmarkDatabase database, Duration measured) throws Exception {
        for (String count : counts.split(",")) {
            long target = Long.parseLong(count.trim());
            long started = System.nanoTime();
            long added = BulkSeeder.seedUpTo(database, target);
            System.out.printf("seeded %d appointments (%d new) in %.1f s%n", target, added, (System.nanoTime() - started) / 1e9);
            try (RegistryProcess registry = RegistryProcess.start(jar, home, port, jvmArgs, database)) {
                printStartUp("start", registry);
                List<RegistryClient> clients = clients(home, port, connections);
                Workload workload = new Workload();
                workload.searchSeededPatients(target / BulkSeeder.PER_PATIENT);
                LoadRun.Result result = LoadRun.run(Scenario.SEARCH, clients, workload, Duration.ofSeconds(10), measured);
                System.out.printf("N=%-9d %s  | registry peak RSS %d MB%n", target, result.line(), registry.peakRssMb());
            }
        }
    }

    /** This driver's own CPU, which on a shared machine the registry cannot use. */
    private static long driverCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    private static void printMachineSpeed(String when) throws IOException, InterruptedException {
        System.out.println(MachineSpeed.measureInNewJvm(when));
    }

    private static void printStartUp(String which, RegistryProcess registry) {
        System.out.printf("registry ready (%s; TLS port open, validator warm) %d ms after launch, %d ms CPU, RSS %d MB%n",
                which, registry.readyMillis(), registry.cpuMillisAtReady(), registry.rssMb());
    }

    /** 16 connections by default, each with the dev client certificate and its own long-lived token. */
    private static List<RegistryClient> clients(Path home, int port, int connections) {
        DevMaterial dev = DevMaterial.load(home.resolve("dev"));
        SSLContext tls = TestCertificates.clientContext(dev.clientKeystore(), dev.password(), dev.truststore(), dev.password());
        String base = "https://127.0.0.1:" + port + "/fhir";
        List<RegistryClient> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            String token = DevTokens.mint(dev.signingKeyJwk(), RegistrySettings.DEV_ISSUER, base, "load-" + i,
                    "patient/appointment.read patient/appointment.write", Duration.ofHours(2));
            clients.add(new RegistryClient(tls, base, token));
        }
        return clients;
    }

    /** 200 patients with 5 appointments each to read and search, registered through the API in parallel. */
    private static void prepare(Workload workload, List<RegistryClient> clients) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        int perClient = 200 / clients.size() + 1;
        for (int i = 0; i < clients.size(); i++) {
            RegistryClient client = clients.get(i);
            int offset = i * perClient;
            threads.add(new Thread(() -> {
                try {
                    workload.prepare(client, perClient, 5, offset);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
    }

    /** A comma-separated option; "none" or "" for none. */
    private static String[] items(String list) {
        return list.isBlank() || list.trim().equalsIgnoreCase("none") ? new String[0] : list.split(",");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
