package uk.nhs.registry.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives one scenario closed-loop on every connection (each sends its next request when the last
 * is answered) for a warm-up, then for a measured time, and stops by itself.
 */
final class LoadRun {

    record Result(Scenario scenario, int connections, double seconds, Latencies latencies) {

        double requestsPerSecond() {
            return latencies.count() / seconds;
        }

        String line() {
            return LoadRun.line(scenario, connections, "", requestsPerSecond(), latencies);
        }
    }

    /** One result line; {@code offered} is empty for a closed-loop run, so the paced lines read the same way. */
    static String line(Scenario scenario, int connections, String offered, double requestsPerSecond, Latencies latencies) {
        return String.format("%-8s %3d conn %s%8.0f req/s  p50 %6.2f  p90 %6.2f  p99 %7.2f  p99.9 %7.2f  max %7.2f ms  errors %d (of %d)",
                scenario, connections, offered, requestsPerSecond, latencies.percentileMillis(50),
                latencies.percentileMillis(90), latencies.percentileMillis(99), latencies.percentileMillis(99.9), latencies.maxMillis(),
                latencies.errors(), latencies.count());
    }

    private LoadRun() {
    }

    static Result run(Scenario scenario, List<RegistryClient> clients, Workload workload, Duration warmUp,
            Duration measured) throws InterruptedException {
        long measureFrom = System.nanoTime() + warmUp.toNanos();
        long end = measureFrom + measured.toNanos();
        List<Latencies> perConnection = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (RegistryClient client : clients) {
            Latencies latencies = new Latencies();
            perConnection.add(latencies);
            threads.add(new Thread(() -> drive(scenario, client, workload, latencies, measureFrom, end), "load-" + threads.size()));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        return new Result(scenario, clients.size(), measured.toNanos() / 1e9, Latencies.merge(perConnection));
    }

    private static void drive(Scenario scenario, RegistryClient client, Workload workload, Latencies latencies,
            long measureFrom, long end) {
        for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
            boolean ok = scenario.attempt(client, workload);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            if (now >= measureFrom) {
                latencies.record(System.nanoTime() - now, ok);
            }
        }
    }
}
