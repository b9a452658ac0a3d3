package uk.nhs.registry.benchmark;

import java.lang.management.ManagementFactory;
import java.util.Map;
import uk.nhs.registry.testsupport.RunningRegistry;

/**
 * Time to ready of a whole registry (real TLS, H2 file database, validators built and warmed), with
 * the medTech flavour's R4 validator or without it ({@code registry.r4.enabled}), in a fresh JVM per
 * run so that neither pays for or profits from the other's class loading. Prints the time from JVM
 * start and from the start call to the open port, and the live heap after a full GC.
 *
 * <p>Run each variant several times, alternating, and compare the figures of one session:
 * {@code java -cp <test classpath> uk.nhs.registry.benchmark.StartupTime true|false}
 */
public final class StartupTime {

    private StartupTime() {
    }

    public static void main(String[] args) {
        boolean r4 = Boolean.parseBoolean(args.length > 0 ? args[0] : "true");
        long started = System.nanoTime();
        try (RunningRegistry registry = RunningRegistry.start(Map.of("registry.r4.enabled", Boolean.toString(r4)))) {
            long startMillis = (System.nanoTime() - started) / 1_000_000;
            long sinceJvm = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
            System.out.printf("STARTUP r4=%s: ready %d ms after the start call, %d ms after JVM start; live heap after GC %d MB;"
                    + " CPU of the process %d ms%n", r4, startMillis, sinceJvm, heapMb,
                    ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()
                            / 1_000_000);
        }
        System.exit(0);
    }
}
