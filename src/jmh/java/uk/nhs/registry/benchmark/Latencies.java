package uk.nhs.registry.benchmark;

import java.util.Arrays;

/** Latencies of one worker (no locking), merged at the end; percentiles by sorting, exact. */
final class Latencies {

    /** Grows by doubling: a paced run keeps one of these per connection and second. */
    private long[] nanos = new long[256];
    private int count;
    private long errors;

    void record(long latencyNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = latencyNanos;
    }

    void record(long latencyNanos, boolean ok) {
        record(latencyNanos);
        if (!ok) {
            errors++;
        }
    }

    int count() {
        return count;
    }

    long errors() {
        return errors;
    }

    static Latencies merge(Iterable<Latencies> parts) {
        Latencies all = new Latencies();
        for (Latencies p : parts) {
            for (int i = 0; i < p.count; i++) {
                all.record(p.nanos[i]);
            }
            all.errors += p.errors;
        }
        Arrays.sort(all.nanos, 0, all.count);
        return all;
    }

    /** Of a merged (sorted) set, in milliseconds. */
    double percentileMillis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(count - 1, Math.ceil(p / 100.0 * count) - 1);
        return nanos[Math.max(0, index)] / 1e6;
    }

    double maxMillis() {
        return count == 0 ? Double.NaN : nanos[count - 1] / 1e6;
    }
}
