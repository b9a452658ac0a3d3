package uk.nhs.registry.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import uk.nhs.registry.testsupport.Folders;

/** Expiry on an H2 file database (usable by URL; the default is HSQLDB). */
class H2ExpiryIT extends ExpiryContractIT {

    private final AtomicInteger databases = new AtomicInteger();
    private Path directory;
    private String url;

    @Override
    protected RegistryDatabase openDatabase() throws IOException {
        directory = Files.createTempDirectory("registry-expiry-h2");
        url = "jdbc:h2:file:" + directory.resolve("registry");
        return RegistryDatabase.open(url, "sa", "", 12);
    }

    @Override
    protected RegistryDatabase openSecondPool() {
        return RegistryDatabase.open(url, "sa", "", 12);
    }

    @Override
    protected DataSource freshDataSource() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + directory.resolve("fresh-" + databases.incrementAndGet()) + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        return dataSource;
    }

    @Override
    protected void stopServer() {
        Folders.deleteRecursively(directory);
    }
}
