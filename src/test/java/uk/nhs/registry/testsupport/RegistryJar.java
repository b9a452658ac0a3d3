package uk.nhs.registry.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runnable jar (target/appointment-registry.jar, built by the package phase) started as an
 * operator starts it: {@code java [jvm options] -jar appointment-registry.jar} in a folder of its
 * own, with the environment variables given and none of the caller's REGISTRY_* or CAMEL_* ones.
 * Its output (stdout and stderr) is collected for the test to read.
 */
public final class RegistryJar implements AutoCloseable {

    public static final Path JAR = Path.of("target", "appointment-registry.jar").toAbsolutePath();

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private RegistryJar(Process process) {
        this.process = process;
        this.reader = new Thread(this::collect, "registry-jar-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static RegistryJar start(Path folder, Map<String, String> environment, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_") || name.startsWith("CAMEL_"));
        builder.environment().putAll(environment);
        try {
            return new RegistryJar(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collect() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("[output unreadable: ").append(e.getMessage()).append("]\n");
        }
    }

    /** Everything the process has printed so far. */
    public String output() {
        return output.toString();
    }

    /**
     * Waits until the output contains {@code text}. Fails with the output if the process ends first,
     * or if the text has not come after a generous bound (only reached when it never comes).
     */
    public void awaitOutput(String text, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("the registry ended (exit " + process.exitValue() + ") before printing '" + text
                        + "':\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting " + atMost.toSeconds() + " s for '" + text + "':\n" + output());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for '" + text + "'");
            }
        }
    }

    /** Stops it as SIGTERM does (camel-main's shutdown hook), and waits for it to end. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        reader.join(5_000);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
