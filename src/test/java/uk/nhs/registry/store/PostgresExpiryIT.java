package uk.nhs.registry.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** Expiry on a real PostgreSQL server, started once for the class. */
class PostgresExpiryIT extends ExpiryContractIT {

    private final AtomicInteger databases = new AtomicInteger();
    private EmbeddedPostgres postgres;

    @Override
    protected RegistryDatabase openDatabase() throws Exception {
        postgres = EmbeddedPostgres.start();
        return open();
    }

    @Override
    protected RegistryDatabase openSecondPool() {
        return open();
    }

    @Override
    protected DataSource freshDataSource() throws Exception {
        String name = "fresh_" + databases.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return postgres.getDatabase("postgres", name);
    }

    @Override
    protected void stopServer() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private RegistryDatabase open() {
        return RegistryDatabase.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", 12);
    }
}
