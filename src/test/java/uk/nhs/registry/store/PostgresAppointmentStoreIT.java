package uk.nhs.registry.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** The contract on a real PostgreSQL server, started once for the class. */
class PostgresAppointmentStoreIT extends AppointmentStoreContractIT {

    private final AtomicInteger databases = new AtomicInteger();
    private EmbeddedPostgres postgres;

    @Override
    protected RegistryDatabase openDatabase() throws Exception {
        // zonky runs initdb/pg_ctl under `unshare -U` when the build runs as root, which
        // PostgreSQL itself refuses.
        postgres = EmbeddedPostgres.start();
        return open("postgres");
    }

    @Override
    protected RegistryDatabase openSecondPool() {
        return open("postgres");
    }

    @Override
    protected RegistryDatabase openEmptyDatabase() throws Exception {
        String name = "empty_" + databases.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return open(name);
    }

    @Override
    protected void stopServer() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private RegistryDatabase open(String databaseName) {
        return RegistryDatabase.open(postgres.getJdbcUrl("postgres", databaseName), "postgres", "", 20);
    }
}
