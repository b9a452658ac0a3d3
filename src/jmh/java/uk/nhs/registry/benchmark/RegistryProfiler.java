package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * async-profiler, attached to the running registry for one paced run ({@code --profile cpu}, or {@code alloc},
 * {@code wall}, {@code lock}: any event async-profiler takes). It writes the samples as collapsed stacks, each line a
 * thread, its stack and a count, beside the jar, and prints where they went: by thread, by the registry's outermost
 * frame on the stack, and by the frame that was running.
 *
 * <p>Why: the paced run's tail is the request threads queueing for the two cores (README, session 21), so the
 * lever is CPU per registration, and only a profile of that window says where it goes. JFR's {@code profile}
 * setting doubled the registry's CPU at this rate (session 14); async-profiler samples through the kernel's perf
 * events and sees kernel frames (syscalls, the disk's sync); at its default interval the CPU per registration
 * stayed within the spread of unprofiled runs, for 26 MB more RSS (session 22). It comes from Maven Central
 * ({@code tools.profiler:async-profiler}, with the native library for Linux inside), and is attached with the JDK's
 * {@code jcmd}, so nothing is installed by hand. A profiled run's latencies are for comparison only.
 */
final class RegistryProfiler implements AutoCloseable {

    private static final int TOP = 12;
    private static final String OUTSIDE = "(no registry frame: Jetty, TLS, Camel, the kernel, the JVM)";

    private final long pid;
    private final Path library;
    private final Path output;

    private RegistryProfiler(long pid, Path library, Path output) {
        this.pid = pid;
        this.library = library;
        this.output = output;
    }

    /** Starts sampling {@code event} in the registry; {@link #close} stops it and writes {@code output}. */
    static RegistryProfiler start(String event, RegistryProcess registry, Path folder, Path output)
            throws IOException, InterruptedException {
        RegistryProfiler profiler = new RegistryProfiler(registry.pid(), library(folder), output);
        // async-profiler's default interval (10 ms of CPU for cpu): some 13,000 samples in a paced run, enough to rank.
        // Every 1 ms cost the registry 18 % more CPU per registration and 100 MB more RSS for its stacks.
        profiler.command("start,event=" + event + ",threads");
        return profiler;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        command("stop,collapsed,file=" + output);
        try (Stream<String> lines = Files.lines(output)) {
            System.out.print(summary(lines)); // read as a stream: sampled every 1 ms, a paced run wrote 374 MB
        }
        System.out.printf("profile: the samples, as collapsed stacks per thread, are in %s%n", output);
    }

    /** Where the samples went; each line of {@code collapsed} is {@code [thread tid=N];frame;...;frame count}. */
    static String summary(Stream<String> collapsed) {
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> outermost = new HashMap<>();
        Map<String, Long> running = new HashMap<>();
        long[] total = {0};
        collapsed.forEach(line -> {
            int space = line.lastIndexOf(' ');
            long count = Long.parseLong(line.substring(space + 1));
            String[] frames = line.substring(0, space).split(";");
            total[0] += count;
            // Threads of one pool differ only in their last number: "[qtp12345-67 tid=890]" counts as Jetty's "qtp12345".
            threads.merge(frames[0].replaceAll("^\\[| tid=\\d+]$", "").replaceAll("[-_ #]?\\d+$", ""), count, Long::sum);
            String registryFrame = OUTSIDE;
            for (int f = 1; f < frames.length; f++) {
                if (frames[f].startsWith("uk/nhs/registry/")) {
                    registryFrame = frames[f];
                    break;
                }
            }
            outermost.merge(registryFrame, count, Long::sum);
            running.merge(frames[frames.length - 1], count, Long::sum);
        });
        StringBuilder out = new StringBuilder(String.format("profile: %d samples%n", total[0]));
        top(out, "by thread", threads, total[0]);
        top(out, "by the registry's outermost frame on the stack", outermost, total[0]);
        top(out, "by the frame running", running, total[0]);
        return out.toString();
    }

    private static void top(StringBuilder out, String title, Map<String, Long> counts, long total) {
        out.append("  ").append(title).append(':').append(System.lineSeparator());
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(TOP)
                .forEach(e -> out.append(String.format(Locale.ROOT, "    %5.1f %%  %s%n", 100.0 * e.getValue() / total,
                        e.getKey())));
    }

    /** One async-profiler command, given to the registry's JVM through jcmd (which loads the library the first time). */
    private void command(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        // jcmd reads a bare "a=b,c" as an option named "a"; quoted, it is handed to the agent whole.
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "JVMTI.agent_load", library.toString(),
                '"' + command + '"').redirectErrorStream(true).start();
        String said;
        try (InputStream in = process.getInputStream()) {
            said = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        if (process.waitFor() != 0 || !said.contains("return code: 0")) {
            throw new IllegalStateException("async-profiler did not take '" + command + "': " + said);
        }
    }

    /** The native library for this machine, copied out of the async-profiler jar on the class path into {@code folder}. */
    private static Path library(Path folder) throws IOException {
        String arch = System.getProperty("os.arch");
        String dir = !System.getProperty("os.name").startsWith("Linux") ? null
                : arch.equals("amd64") || arch.equals("x86_64") ? "linux-x64"
                : arch.equals("aarch64") ? "linux-arm64" : null;
        String resource = dir + "/libasyncProfiler.so";
        try (InputStream in = dir == null ? null : RegistryProfiler.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no async-profiler library for " + System.getProperty("os.name") + "/"
                        + System.getProperty("os.arch") + " on the class path (" + resource + ")");
            }
            Path library = folder.resolve("libasyncProfiler.so");
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            return library;
        }
    }
}
