package uk.nhs.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryDatabaseIT {

    @Test
    void fileDatabasesCommitToTheFileBeforeTheCommitReturnsAndAreClosedByTheApplication() {
        assertThat(RegistryDatabase.withH2Defaults(RegistryDatabase.DEFAULT_URL))
                .isEqualTo("jdbc:h2:file:./data/registry;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(RegistryDatabase.withH2Defaults("jdbc:h2:./data/registry;db_close_on_exit=true;write_delay=500"))
                .isEqualTo("jdbc:h2:./data/registry;db_close_on_exit=true;write_delay=500");
    }

    @Test
    void memoryDatabasesOutliveTheirConnections() {
        assertThat(RegistryDatabase.withH2Defaults("jdbc:h2:mem:registry"))
                .isEqualTo("jdbc:h2:mem:registry;DB_CLOSE_DELAY=-1");
    }

    @Test
    void otherUrlsAreLeftAlone() {
        for (String url : List.of("jdbc:postgresql://db:5432/registry", "jdbc:h2:tcp://db/registry")) {
            assertThat(RegistryDatabase.withH2Defaults(url)).isEqualTo(url);
        }
    }

    @Test
    void migratesAnInMemoryDatabaseAndKeepsItWhileOpen() throws Exception {
        try (RegistryDatabase database = RegistryDatabase.open("jdbc:h2:mem:registry-test", "sa", "", 2)) {
            new AppointmentStore(database.dataSource()).register(
                    TestAppointments.booked("9000000009", null, "mem-1"), "9000000009", TestAppointments.FEED, "r");
            assertThat(AppointmentStoreContractIT.count(database.dataSource(), "SELECT COUNT(*) FROM appointment"))
                    .isEqualTo(1);
        }
    }

    @Test
    void failsToOpenWhenTheDatabaseIsUnusable() {
        assertThatThrownBy(() -> RegistryDatabase.open("jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'nowhere.sql'", "sa", "", 1))
                .isInstanceOf(RuntimeException.class);
    }
}
