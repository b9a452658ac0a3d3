package uk.nhs.registry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Finds the version a request already wrote, by the source and request id recorded with it in the
 * same transaction as the write. This is what lets a feed recognise a redelivered message.
 */
public final class WritesByRequest {

    private final DataSource dataSource;

    public WritesByRequest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The latest version written by this request of this source, if any. */
    public Optional<StoredAppointment> find(String source, String requestId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT id, version, last_updated, status, resource FROM appointment_version"
                                + " WHERE actor_source = ? AND request_id = ? ORDER BY version DESC"
                                + " FETCH FIRST 1 ROWS ONLY")) {
            select.setString(1, source);
            select.setString(2, requestId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredAppointment(rows.getString("id"), rows.getInt("version"),
                        Instant.ofEpochMilli(rows.getLong("last_updated")), rows.getString("status"),
                        rows.getString("resource")));
            }
        } catch (SQLException e) {
            throw new StoreException("could not look up the writes of a request", e);
        }
    }
}
