package uk.nhs.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Instant;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DataSource the hub owns (in Karaf: a pax-jdbc DataSource service named by
 * registry.db.datasource-service): the registry migrates it and stores into it, and leaves it open.
 */
class BorrowedDataSourceIT {

    @TempDir
    Path directory;

    @Test
    void isMigratedUsedAndLeftOpenForItsOwner() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + directory.resolve("hub") + ";DB_CLOSE_ON_EXIT=FALSE");
        config.setUsername("sa");
        try (HikariDataSource hubPool = new HikariDataSource(config)) {
            RegistryDatabase database = RegistryDatabase.borrowed(hubPool);
            StoredAppointment stored = new AppointmentStore(database.dataSource())
                    .register(TestAppointments.booked("9434765919", Instant.parse("2030-01-01T10:00:00Z"),
                            "borrowed-1"), "9434765919", TestAppointments.CLINICIAN, "request-1");

            database.close();

            assertThat(hubPool.isClosed()).isFalse();
            try (Connection connection = hubPool.getConnection();
                    ResultSet rows = connection.createStatement().executeQuery("select count(*) from \"flyway_schema_history\"")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isPositive();
            }
            assertThat(new AppointmentStore(hubPool).read(stored.id())).contains(stored);
        }
    }
}
