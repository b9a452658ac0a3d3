package uk.nhs.registry.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Drives one scenario open-loop at a fixed offered rate, as wrk2 does, for a warm-up, then for a
 * measured time, and stops by itself. A closed loop at saturation can only show latency of about
 * connections / throughput; this shows the latency a client sees at a given load.
 *
 * <p>Every request has an intended send time fixed in advance: the rate is split evenly over the
 * connections, each connection's schedule offset by its share of one interval so that they do not
 * fire together. Latency runs from the intended time, not the actual send: when the registry
 * stalls, every request that should have gone out during the stall carries the wait, where a
 * closed loop would just send fewer of them (coordinated omission).
 */
final class PacedRun {

    /**
     * A running total read at every second of the window (negative if it cannot be read), printed per second as
     * {@code name, difference, unit}: a process's CPU milliseconds, or the machine's (CPU stolen, disk busy).
     */
    record Counter(String name, String unit, LongSupplier reading) {
    }

    /**
     * {@code perSecond}: the measured window second by second (by intended send time), to see when a stall came;
     * {@code readings}: each counter read at the start of every second and at the end (seconds + 1 rows).
     */
    record Result(Scenario scenario, int connections, int rate, double seconds, long answered, Latencies latencies,
            Instant windowStart, List<Latencies> perSecond, List<Counter> counters, long[][] readings) {

        /** Answered in the measured window, so a registry that cannot keep up shows below the offered rate. */
        double requestsPerSecond() {
            return answered / seconds;
        }

        String line() {
            return LoadRun.line(scenario, connections, String.format(" @%d/s offered", rate), requestsPerSecond(), latencies);
        }

        String perSecondLines() {
            // Wall-clock time, to line the seconds up with other logs (-Xlog:gc:file=gc.log:time, iostat, ...).
            StringBuilder lines = new StringBuilder(String.format("  second 0 began at %s%n", windowStart));
            for (int second = 0; second < perSecond.size(); second++) {
                Latencies l = perSecond.get(second);
                lines.append(String.format("  second %3d: %5d sent  p50 %7.2f  p90 %7.2f  max %7.2f ms", second, l.count(),
                        l.percentileMillis(50), l.percentileMillis(90), l.maxMillis()));
                for (int c = 0; c < counters.size(); c++) {
                    long from = readings[second][c];
                    long to = readings[second + 1][c];
                    if (from >= 0 && to >= 0) {
                        Counter counter = counters.get(c);
                        lines.append(String.format("  | %s %4d %s", counter.name(), to - from, counter.unit()));
                    }
                }
                lines.append(System.lineSeparator());
            }
            return lines.toString();
        }
    }

    private PacedRun() {
    }

    static Result run(Scenario scenario, int rate, List<RegistryClient> clients, Workload workload, Duration warmUp,
            Duration measured, List<Counter> counters) throws InterruptedException {
        long start = System.nanoTime();
        Instant windowStart = Instant.now().plus(warmUp);
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measured.toNanos();
        AtomicLong answered = new AtomicLong();
        int seconds = (int) Math.ceil(measured.toNanos() / 1e9);
        List<Latencies[]> perConnection = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (RegistryClient client : clients) {
            Latencies[] bySecond = new Latencies[seconds];
            Arrays.setAll(bySecond, i -> new Latencies());
            perConnection.add(bySecond);
            int slot = threads.size();
            threads.add(new Thread(() -> drive(scenario, client, workload, bySecond, answered, rate, slot, clients.size(),
                    start, measureFrom, end), "paced-" + slot));
        }
        long[][] readings = new long[seconds + 1][counters.size()];
        Thread sampler = new Thread(() -> sample(counters, readings, measureFrom), "paced-counters");
        threads.forEach(Thread::start);
        sampler.start();
        for (Thread t : threads) {
            t.join();
        }
        sampler.join();
        List<Latencies> perSecond = new ArrayList<>();
        for (int second = 0; second < seconds; second++) {
            int s = second;
            perSecond.add(Latencies.merge(perConnection.stream().map(bySecond -> bySecond[s]).toList()));
        }
        return new Result(scenario, clients.size(), rate, measured.toNanos() / 1e9, answered.get(),
                Latencies.merge(perSecond), windowStart, perSecond, counters, readings);
    }

    /** Reads every counter at the start of each second of the window and at its end. */
    private static void sample(List<Counter> counters, long[][] readings, long measureFrom) {
        for (int second = 0; second < readings.length; second++) {
            if (!sleepUntil(measureFrom + second * 1_000_000_000L)) {
                return;
            }
            for (int c = 0; c < counters.size(); c++) {
                readings[second][c] = counters.get(c).reading().getAsLong();
            }
        }
    }

    private static void drive(Scenario scenario, RegistryClient client, Workload workload, Latencies[] bySecond,
            AtomicLong answered, int rate, int slot, int connections, long start, long measureFrom, long end) {
        double spacing = 1e9 / rate;
        for (long k = 0; ; k++) {
            // One schedule for all connections, this one taking every connections-th send from its own slot:
            // computed from the start each time, so rounding never drifts.
            long intended = start + Math.round((slot + k * connections) * spacing);
            // A connection still catching up at the end stops there too, so a slow registry cannot stretch the run.
            if (intended >= end || !sleepUntil(intended) || System.nanoTime() >= end) {
                return;
            }
            boolean ok = scenario.attempt(client, workload);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            long done = System.nanoTime();
            if (intended >= measureFrom) {
                bySecond[(int) ((intended - measureFrom) / 1_000_000_000L)].record(done - intended, ok);
            }
            if (done >= measureFrom && done < end) {
                answered.incrementAndGet();
            }
        }
    }

    /** Returns at once when already behind (the last answer came late): the request is overdue. */
    private static boolean sleepUntil(long deadline) {
        for (long wait = deadline - System.nanoTime(); wait > 0; wait = deadline - System.nanoTime()) {
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(wait);
        }
        return true;
    }
}
