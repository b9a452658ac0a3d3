package uk.nhs.registry.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import uk.nhs.registry.testsupport.Folders;

/**
 * A real Apache Karaf, unpacked by the build from Maven Central's distribution, started headless
 * ({@code bin/karaf server}) and driven through its own SSH client ({@code bin/client}) on a
 * loopback port. It runs offline: bundles come from the build's local Maven repository only.
 */
final class KarafInstance implements AutoCloseable {

    private static final Duration BOOT_WAIT = Duration.ofMinutes(3);
    private static final Duration STOP_WAIT = Duration.ofMinutes(1);

    private final Path home;
    private final int sshPort;
    private Process process;

    private KarafInstance(Path home, int sshPort) {
        this.home = home;
        this.sshPort = sshPort;
    }

    /**
     * Prepares the unpacked distribution: clean data folder, SSH on 127.0.0.1 only, no JMX/RMI
     * ports, a shell user, and Maven resolution from {@code mavenRepository} alone.
     */
    static KarafInstance prepare(Path home, Path mavenRepository) {
        KarafInstance karaf = new KarafInstance(home, FreePorts.find());
        try {
            Folders.deleteRecursively(home.resolve("data"));
            Path etc = home.resolve("etc");
            write(etc.resolve("org.ops4j.pax.url.mvn.cfg"), String.join("\n",
                    "org.ops4j.pax.url.mvn.localRepository=" + mavenRepository.toAbsolutePath(),
                    "org.ops4j.pax.url.mvn.useFallbackRepositories=false",
                    "org.ops4j.pax.url.mvn.defaultRepositories=${karaf.home.uri}system@id=system.repository@snapshots",
                    "org.ops4j.pax.url.mvn.repositories=", ""));
            write(etc.resolve("org.apache.karaf.shell.cfg"), String.join("\n",
                    "sshPort = " + karaf.sshPort, "sshHost = 127.0.0.1", "sshRealm = karaf", "sshRole = ssh",
                    "hostKey = ${karaf.etc}/host.key", "completionMode = GLOBAL", ""));
            write(etc.resolve("users.properties"), String.join("\n",
                    "karaf = karaf,_g_:admingroup",
                    "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh", ""));
            // "management" opens JMX/RMI ports (1099, 44444) that the test neither needs nor may share.
            Path features = etc.resolve("org.apache.karaf.features.cfg");
            write(features, Files.readString(features).replaceAll("(?m)^\\s*management/[^,]*,\\s*\\\\\\R", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return karaf;
    }

    /** Puts an artifact into Karaf's own system repository, where mvn: URLs find it. */
    void provide(Path file, String groupId, String artifactId, String version, String classifier, String type) {
        Path dir = home.resolve("system").resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
        try {
            Files.createDirectories(dir);
            Files.copy(file, dir.resolve(artifactId + "-" + version + "-" + classifier + "." + type),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeConfiguration(String pid, List<String> lines) {
        write(home.resolve("etc").resolve(pid + ".cfg"), String.join("\n", lines) + "\n");
    }

    void start() {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("karaf-console.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_MAX_MEM", "1024M");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitPort(sshPort, BOOT_WAIT, "Karaf's SSH console");
    }

    /**
     * Runs shell commands through bin/client in batch mode and returns what they printed. A
     * feature install may refresh Karaf's own shell bundles, which ends the session early; the
     * install itself carries on, so callers check its effect rather than this output.
     */
    String shell(Duration limit, String... commands) {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/client").toString(), "-a",
                Integer.toString(sshPort), "-h", "127.0.0.1", "-u", "karaf", "-p", "karaf", "-r", "10", "-d", "2", "-b")
                .directory(home.toFile())
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Process client = builder.start();
            try (var in = client.getOutputStream()) {
                in.write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            byte[] output = client.getInputStream().readAllBytes();
            if (!client.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                client.destroyForcibly();
                throw new IllegalStateException("bin/client did not finish within " + limit + ": " + List.of(commands));
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #shell} for commands that must not fail: Karaf's error output fails the test. */
    String shellOrFail(Duration limit, String... commands) {
        String output = shell(limit, commands);
        if (output.contains("Error executing command")) {
            throw new IllegalStateException("Karaf refused " + List.of(commands) + ":\n" + output);
        }
        return output;
    }

    /** The end of Karaf's log, for a failure message. */
    String logTail(int lines) {
        Path log = home.resolve("data/log/karaf.log");
        try {
            if (!Files.exists(log)) {
                return "(no data/log/karaf.log)";
            }
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read karaf.log: " + e + ")";
        }
    }

    /** Stops Karaf with bin/stop; kills it (and its JVM) only if it does not go in time. */
    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            ProcessBuilder stop = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            stop.environment().put("JAVA_HOME", System.getProperty("java.home"));
            stop.start().waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    /** Waits (bounded) until something accepts connections on 127.0.0.1:port. */
    static void awaitPort(int port, Duration limit, String what) {
        Instant deadline = Instant.now().plus(limit);
        while (!accepts(port)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(what + " did not open 127.0.0.1:" + port + " within " + limit);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits (bounded) until nothing listens on 127.0.0.1:port any more; false if it still does. */
    static boolean awaitFree(int port, Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (!isFree(port)) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when nothing holds the port: it can be bound again. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As a server restarting on the port would: connections left in TIME_WAIT do not hold it.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Free loopback ports, picked by the OS. */
    static final class FreePorts {
        private FreePorts() {
        }

        static int find() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
