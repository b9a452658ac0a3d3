package uk.nhs.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.nhs.registry.store.TestAppointments.FEED;
import static uk.nhs.registry.store.TestAppointments.booked;
import static uk.nhs.registry.store.TestAppointments.cancelled;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.outcome.UnprocessableEntityException;
import uk.nhs.registry.outcome.VersionConflictException;

/**
 * The store writes a write's audit row in the write's own transaction: a committed write has
 * exactly one row, and a write the database refuses (duplicate, lost version race) leaves none.
 */
class AuditTrailStoreIT {

    private static final String NHS = "9000000009";
    private static final Instant START = Instant.parse("2030-01-01T09:00:00Z");

    @Test
    void eachCommittedWriteHasOneRowAndARefusedOneNone() throws Exception {
        try (RegistryDatabase database = RegistryDatabase.open(
                "jdbc:h2:file:" + Files.createTempDirectory("audit-store").resolve("registry"), "sa", "", 2)) {
            DataSource dataSource = database.dataSource();
            AppointmentStore store = new AppointmentStore(dataSource);

            StoredAppointment stored = store.register(booked(NHS, START, "audit-1"), NHS, FEED, "req-1");
            assertThatThrownBy(() -> store.register(booked(NHS, START, "audit-1"), NHS, FEED, "req-dup"))
                    .isInstanceOf(UnprocessableEntityException.class);
            store.cancel(stored.id(), 1, cancelled(stored), FEED, "req-2");
            assertThatThrownBy(() -> store.cancel(stored.id(), 1, cancelled(stored), FEED, "req-stale"))
                    .isInstanceOf(VersionConflictException.class);

            assertThat(rows(dataSource)).containsExactly(
                    "req-1 create " + stored.id() + " 1 201 RESOURCE_CREATED " + FEED.source(),
                    "req-2 update " + stored.id() + " 2 200 RESOURCE_UPDATED " + FEED.source());
        }
    }

    private static List<String> rows(DataSource dataSource) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); ResultSet result = connection.createStatement().executeQuery(
                "SELECT request_id, interaction, appointment_id, appointment_version, outcome_status, spine_code, source"
                        + " FROM audit_event ORDER BY appointment_version")) {
            while (result.next()) {
                rows.add(String.join(" ", result.getString(1), result.getString(2), result.getString(3), result.getString(4),
                        result.getString(5), result.getString(6), result.getString(7)));
            }
        }
        return rows;
    }
}
