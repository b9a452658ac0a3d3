package uk.nhs.registry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import javax.sql.DataSource;

/**
 * Writes the `audit_event` table (V3). Successful writes are recorded by {@link AppointmentStore}
 * through {@link #insert} on the write's own connection, so the row commits or rolls back with
 * the write; a rejected write is recorded on its own with {@link #record}.
 */
public final class AuditTrail {

    private final DataSource dataSource;

    public AuditTrail(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records one event in its own transaction, committed (and so durable) before this returns. */
    public void record(AuditEvent event) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            insert(connection, event);
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("could not record an audit event", e);
        }
    }

    static void insert(Connection connection, AuditEvent event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_event (event_id, recorded_at, request_id, interaction, appointment_id,"
                        + " appointment_version, outcome_status, spine_code, token_issuer, token_subject,"
                        + " token_organisation, certificate_subject, source)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, TimeOrderedIds.next());
            insert.setLong(2, event.time().toEpochMilli());
            insert.setString(3, event.requestId());
            insert.setString(4, event.interaction());
            insert.setString(5, event.appointmentId());
            if (event.version() == null) {
                insert.setNull(6, Types.INTEGER);
            } else {
                insert.setInt(6, event.version());
            }
            insert.setInt(7, event.status());
            insert.setString(8, event.spineCode().code());
            CallerColumns.bind(insert, 9, event.caller());
            insert.executeUpdate();
        }
    }
}
