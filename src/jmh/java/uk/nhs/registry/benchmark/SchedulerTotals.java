package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * A process's running total, in milliseconds, of the time its threads spent on a CPU or ready to run but waiting for
 * one, from each thread's {@code /proc/<pid>/task/<tid>/schedstat}: the scheduler's own nanosecond figures, where
 * {@code stat}'s CPU times come in 10 ms ticks. The total is kept per thread between readings, so a thread that
 * ends (a JIT compiler thread the JVM retires, a pool thread reaped when idle) takes nothing already counted with
 * it; only its time since the last reading is lost.
 */
final class SchedulerTotals {

    /** Which schedstat figure, by its place in the file: time on a CPU, or time ready to run and waiting for one. */
    enum Figure {
        RAN(0), WAITED(1);

        private final int field;

        Figure(int field) {
            this.field = field;
        }
    }

    private final long pid;
    private final int field;
    private final Map<String, Long> lastNanos = new HashMap<>();
    private long totalNanos;

    SchedulerTotals(long pid, Figure figure) {
        this.pid = pid;
        this.field = figure.field;
    }

    /** The total so far; -1 if the process's threads cannot be read. */
    synchronized long millis() {
        Map<String, Long> now = new HashMap<>();
        try {
            ProcStat.forEachThread(pid, thread -> {
                String[] figures = Files.readString(thread.resolve("schedstat")).trim().split(" ");
                now.put(thread.getFileName().toString(), Long.parseLong(figures[field]));
            });
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        now.forEach((thread, nanos) -> totalNanos += nanos - lastNanos.getOrDefault(thread, 0L));
        lastNanos.clear();
        lastNanos.putAll(now);
        return totalNanos / 1_000_000;
    }
}
