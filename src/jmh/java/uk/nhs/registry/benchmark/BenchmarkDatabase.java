package uk.nhs.registry.benchmark;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where the registry under load keeps its data: the default, an embedded HSQLDB file database in the run's folder
 * (inside the registry's JVM, as the registry runs by default), an embedded H2 file (usable by URL), or a PostgreSQL
 * server the benchmark starts beside it on 127.0.0.1, as a hub runs one (the embedded PostgreSQL the tests use,
 * fetched by Maven, with its data in the run's folder).
 */
final class BenchmarkDatabase implements AutoCloseable {

    private final String url;
    private final String user;
    private final String password;
    private final EmbeddedPostgres postgres;
    private final Path postgresData;

    private BenchmarkDatabase(String url, String user, String password, EmbeddedPostgres postgres, Path postgresData) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.postgres = postgres;
        this.postgresData = postgresData;
    }

    /**
     * "NAME=value,NAME=value" as embedded URL settings (";NAME=value;NAME=value"), which win over the registry's
     * defaults: H2's or HSQLDB's, whichever the run uses.
     */
    private static String urlSettings(String settings) {
        StringBuilder url = new StringBuilder();
        for (String setting : settings.split(",")) {
            if (setting.isBlank()) {
                continue;
            }
            if (!setting.contains("=")) {
                throw new IllegalArgumentException("--h2-settings expects NAME=value items, got " + setting);
            }
            url.append(';').append(setting.trim());
        }
        return url.toString();
    }

    /**
     * {@code hsqldb} (the registry's default), {@code h2} or {@code postgresql}; a PostgreSQL server is started now
     * and stopped by {@link #close()}, with {@code serverSettings} ("name=value,name=value", may be empty) added to its configuration.
     */
    static BenchmarkDatabase named(String kind, Path home, String serverSettings, String urlSettings) throws IOException {
        String name = kind.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "hsqldb":
            case "h2":
                if (!serverSettings.isBlank()) {
                    throw new IllegalArgumentException("--postgresql-settings needs --database postgresql");
                }
                return new BenchmarkDatabase("jdbc:" + name + ":file:" + home.resolve("db/registry").toAbsolutePath()
                        + urlSettings(urlSettings), "sa", "", null, null);
            case "postgresql":
                if (!urlSettings.isBlank()) {
                    throw new IllegalArgumentException("--h2-settings needs --database hsqldb or h2");
                }
                Path data = home.resolve("postgresql");
                Files.createDirectories(data);
                EmbeddedPostgres.Builder server = EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        .setCleanDataDirectory(true)
                        // The library turns synchronous_commit off for fast tests; the registry answers a write only
                        // once it is committed, which is only worth something if the commit is on the disk.
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("fsync", "on");
                for (String setting : serverSettings.split(",")) {
                    if (!setting.isBlank()) {
                        String[] nameValue = setting.split("=", 2);
                        if (nameValue.length != 2) {
                            throw new IllegalArgumentException("--postgresql-settings expects name=value items, got " + setting);
                        }
                        server.setServerConfig(nameValue[0].trim(), nameValue[1].trim());
                    }
                }
                EmbeddedPostgres postgres = server.start();
                return new BenchmarkDatabase("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres",
                        "postgres", "postgres", postgres, data);
            default:
                throw new IllegalArgumentException("--database expects hsqldb, h2 or postgresql, got " + kind);
        }
    }

    /** The registry's settings for this database, as JVM system properties. */
    List<String> registryProperties() {
        return List.of("-Dregistry.db.url=" + url, "-Dregistry.db.user=" + user, "-Dregistry.db.password=" + password);
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** Whether the registry's store is a server process of its own (whose CPU {@link #serverCpuMillis} reads). */
    boolean hasServer() {
        return postgres != null;
    }

    /** What it is, for the benchmark's first line. */
    String describe() {
        if (postgres != null) {
            return "PostgreSQL server on 127.0.0.1:" + postgres.getPort();
        }
        return "embedded " + (url.startsWith("jdbc:h2:") ? "H2" : "HSQLDB") + " file";
    }

    /**
     * CPU the PostgreSQL server has used so far (its postmaster, the live backends and those that have ended), so
     * that a run against it shows the whole cost of a request, not only the registry's; -1 for an embedded
     * database, whose cost is inside the registry's own figure, or if /proc cannot be read.
     */
    long serverCpuMillis() {
        if (!hasServer()) {
            return -1;
        }
        try {
            // postmaster.pid's first line is the server's process id; the backends are its children.
            long postmaster = Long.parseLong(Files.readAllLines(postgresData.resolve("postmaster.pid")).get(0).trim());
            return ProcStat.cpuMillisWithChildren(postmaster);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}
