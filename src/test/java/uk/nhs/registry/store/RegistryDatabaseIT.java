package uk.nhs.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.testsupport.Folders;

class RegistryDatabaseIT {

    @Test
    void theDefaultIsAnHsqldbFileDatabaseThatSyncsEachCommitAndShutsDownWithItsLastConnection() {
        assertThat(RegistryDatabase.withEmbeddedDefaults(RegistryDatabase.DEFAULT_URL)).isEqualTo(
                "jdbc:hsqldb:file:./data/registry;hsqldb.default_table_type=cached;hsqldb.write_delay=false"
                        + ";hsqldb.tx=mvcc;sql.syntax_pgs=true;shutdown=true");
        assertThat(RegistryDatabase.withEmbeddedDefaults("jdbc:hsqldb:./data/registry;HSQLDB.WRITE_DELAY=true;shutdown=false"))
                .isEqualTo("jdbc:hsqldb:./data/registry;HSQLDB.WRITE_DELAY=true;shutdown=false"
                        + ";hsqldb.default_table_type=cached;hsqldb.tx=mvcc;sql.syntax_pgs=true");
    }

    @Test
    void hsqldbMemoryDatabasesGetMvccAndPostgresSyntaxAndOutliveTheirConnections() {
        assertThat(RegistryDatabase.withEmbeddedDefaults("jdbc:hsqldb:mem:registry"))
                .isEqualTo("jdbc:hsqldb:mem:registry;hsqldb.tx=mvcc;sql.syntax_pgs=true");
    }

    @Test
    void h2FileDatabasesCommitToTheFileBeforeTheCommitReturnsAndAreClosedByTheApplication() {
        assertThat(RegistryDatabase.withEmbeddedDefaults("jdbc:h2:file:./data/registry"))
                .isEqualTo("jdbc:h2:file:./data/registry;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(RegistryDatabase.withEmbeddedDefaults("jdbc:h2:./data/registry;db_close_on_exit=true;write_delay=500"))
                .isEqualTo("jdbc:h2:./data/registry;db_close_on_exit=true;write_delay=500");
    }

    @Test
    void h2MemoryDatabasesOutliveTheirConnections() {
        assertThat(RegistryDatabase.withEmbeddedDefaults("jdbc:h2:mem:registry"))
                .isEqualTo("jdbc:h2:mem:registry;DB_CLOSE_DELAY=-1");
    }

    @Test
    void serverUrlsAreLeftAlone() {
        for (String url : List.of("jdbc:postgresql://db:5432/registry", "jdbc:h2:tcp://db/registry",
                "jdbc:hsqldb:hsql://db/registry", "jdbc:hsqldb:https://db/registry")) {
            assertThat(RegistryDatabase.withEmbeddedDefaults(url)).isEqualTo(url);
        }
    }

    @Test
    void anHsqldbFileDatabaseRunsWithTheSettingsItWasOpenedWithAndIsShutDownOnClose() throws Exception {
        Path directory = Files.createTempDirectory("registry-db-hsqldb");
        try {
            String url = "jdbc:hsqldb:file:" + directory.resolve("registry");
            try (RegistryDatabase database = RegistryDatabase.open(url, "sa", "", 2)) {
                DataSource dataSource = database.dataSource();
                new AppointmentStore(dataSource).register(
                        TestAppointments.booked("9000000009", null, "file-1"), "9000000009", TestAppointments.FEED, "r");
                Map<String, String> properties = properties(dataSource);
                assertThat(properties).containsEntry("hsqldb.write_delay", "false")
                        .containsEntry("hsqldb.tx", "MVCC")
                        .containsEntry("hsqldb.default_table_type", "CACHED")
                        .containsEntry("sql.syntax_pgs", "true");
                assertThat(AppointmentStoreContractIT.count(dataSource,
                        "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SYSTEM_TABLES WHERE TABLE_SCHEM = 'PUBLIC'"
                                + " AND TABLE_NAME = 'APPOINTMENT' AND HSQLDB_TYPE = 'CACHED'")).isEqualTo(1);
                assertThat(directory.resolve("registry.lck")).exists();
            }
            // shut down: the lock released, so another process could open the files
            assertThat(directory.resolve("registry.lck")).doesNotExist();
            // HSQLDB's administrator is SA: the name is not case-sensitive
            try (RegistryDatabase reopened = RegistryDatabase.open(url, "SA", "", 2)) {
                assertThat(AppointmentStoreContractIT.count(reopened.dataSource(), "SELECT COUNT(*) FROM appointment"))
                        .isEqualTo(1);
            }
        } finally {
            Folders.deleteRecursively(directory);
        }
    }

    @Test
    void migratesAnInMemoryDatabaseAndKeepsItWhileOpen() throws Exception {
        for (String url : List.of("jdbc:hsqldb:mem:registry-test", "jdbc:h2:mem:registry-test")) {
            try (RegistryDatabase database = RegistryDatabase.open(url, "sa", "", 2)) {
                new AppointmentStore(database.dataSource()).register(
                        TestAppointments.booked("9000000009", null, "mem-1"), "9000000009", TestAppointments.FEED, "r");
                assertThat(AppointmentStoreContractIT.count(database.dataSource(), "SELECT COUNT(*) FROM appointment"))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void failsToOpenWhenTheDatabaseIsUnusable() {
        assertThatThrownBy(() -> RegistryDatabase.open("jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'nowhere.sql'", "sa", "", 1))
                .isInstanceOf(RuntimeException.class);
    }

    private static Map<String, String> properties(DataSource dataSource) throws SQLException {
        Map<String, String> properties = new HashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT PROPERTY_NAME, PROPERTY_VALUE FROM INFORMATION_SCHEMA.SYSTEM_PROPERTIES")) {
            while (rows.next()) {
                properties.put(rows.getString(1), rows.getString(2));
            }
        }
        return properties;
    }
}
