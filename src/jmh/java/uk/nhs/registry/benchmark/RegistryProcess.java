package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The registry's runnable jar as a separate process on 127.0.0.1, so its memory can be read from
 * /proc and the driver's own CPU and memory are not counted as the registry's.
 */
final class RegistryProcess implements AutoCloseable {

    private final Process process;
    private final long readyMillis;
    private final long cpuMillisAtReady;

    private RegistryProcess(Process process, long readyMillis, long cpuMillisAtReady) {
        this.process = process;
        this.readyMillis = readyMillis;
        this.cpuMillisAtReady = cpuMillisAtReady;
    }

    /** Starts the jar with its data under home and waits (at most 3 minutes) until the port accepts connections. */
    static RegistryProcess start(Path jar, Path home, int port, List<String> jvmArgs, BenchmarkDatabase database)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Dregistry.http.host=127.0.0.1");
        command.add("-Dregistry.http.port=" + port);
        command.add("-Dregistry.base-url=https://127.0.0.1:" + port + "/fhir");
        command.add("-Dregistry.dev.dir=" + home.resolve("dev"));
        command.addAll(database.registryProperties());
        command.add("-Dcamel.management.port=" + (port + 1));
        command.add("-jar");
        command.add(jar.toString());
        Files.createDirectories(home);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("registry.log").toFile()).start();
        long deadline = started + TimeUnit.MINUTES.toNanos(3);
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the registry did not start; see " + home.resolve("registry.log"));
            }
            Thread.sleep(20);
        }
        long ready = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return new RegistryProcess(process, ready, cpuMillis(process.pid()));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** From launch to the TLS port accepting connections (the validator is warm before that). */
    long readyMillis() {
        return readyMillis;
    }

    /** CPU the registry used until ready (all threads, JIT and GC included): steadier than wall time on a shared machine. */
    long cpuMillisAtReady() {
        return cpuMillisAtReady;
    }

    /** Peak resident set so far (VmHWM), in MB. */
    long peakRssMb() {
        return statusKb("VmHWM:") / 1024;
    }

    long rssMb() {
        return statusKb("VmRSS:") / 1024;
    }

    private long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** CPU the registry has used so far, all threads. */
    long cpuMillis() {
        return cpuMillis(process.pid());
    }

    private static long cpuMillis(long pid) {
        try {
            return ProcStat.cpuMillis(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * CPU the registry's JIT compiler threads have used so far. Under a new kind of load the JIT
     * recompiles for a minute or more (C2 at half a core on this machine), which is warm-up, not
     * what the load costs once the code is compiled.
     */
    long compilerCpuMillis() {
        long[] total = {0};
        try {
            ProcStat.forEachThread(process.pid(), thread -> {
                String name = Files.readString(thread.resolve("comm")); // "C2 CompilerThread0", cut to 15 characters
                if (name.startsWith("C2 CompilerThre") || name.startsWith("C1 CompilerThre")) {
                    total[0] += ProcStat.cpuMillis(thread.resolve("stat"));
                }
            });
        } catch (IOException e) {
            return -1;
        }
        return total[0];
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
