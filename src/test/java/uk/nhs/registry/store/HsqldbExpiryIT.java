package uk.nhs.registry.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.hsqldb.jdbc.JDBCDataSource;
import uk.nhs.registry.testsupport.Folders;

/** Expiry on the embedded default, an HSQLDB file database (plain FOR UPDATE: no SKIP LOCKED). */
class HsqldbExpiryIT extends ExpiryContractIT {

    private final AtomicInteger databases = new AtomicInteger();
    private Path directory;
    private String url;

    @Override
    protected RegistryDatabase openDatabase() throws IOException {
        directory = Files.createTempDirectory("registry-expiry-hsqldb");
        url = "jdbc:hsqldb:file:" + directory.resolve("registry");
        return RegistryDatabase.open(url, "sa", "", 12);
    }

    @Override
    protected RegistryDatabase openSecondPool() {
        return RegistryDatabase.open(url, "sa", "", 12);
    }

    @Override
    protected DataSource freshDataSource() {
        JDBCDataSource dataSource = new JDBCDataSource();
        // the settings the registry's pool would add, so that the migrations see PostgreSQL's dialect
        dataSource.setUrl(RegistryDatabase.withEmbeddedDefaults(
                "jdbc:hsqldb:file:" + directory.resolve("fresh-" + databases.incrementAndGet())));
        dataSource.setUser("sa");
        dataSource.setPassword("");
        return dataSource;
    }

    @Override
    protected void stopServer() {
        Folders.deleteRecursively(directory);
    }
}
