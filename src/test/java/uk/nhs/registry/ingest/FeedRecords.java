package uk.nhs.registry.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import uk.nhs.registry.testsupport.RunningRegistry;

/** What the registry database holds, read the way an operator would check it. */
final class FeedRecords {

    record Version(String id, int version, String status, String source, String requestId) {
    }

    private FeedRecords() {
    }

    /** Appointments registered under this identifier value (0 or 1 when the registry is right). */
    static int appointmentsWithIdentifier(RunningRegistry registry, String value) {
        try (Connection db = registry.database();
                PreparedStatement query = db.prepareStatement(
                        "SELECT COUNT(*) FROM appointment_identifier WHERE id_value = ?")) {
            query.setString(1, value);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every stored version of the appointment registered under this identifier value, oldest first. */
    static List<Version> versions(RunningRegistry registry, String identifierValue) {
        try (Connection db = registry.database();
                PreparedStatement query = db.prepareStatement(
                        "SELECT v.id, v.version, v.status, v.actor_source, v.request_id FROM appointment_version v"
                                + " JOIN appointment_identifier i ON i.appointment_id = v.id WHERE i.id_value = ?"
                                + " ORDER BY v.version")) {
            query.setString(1, identifierValue);
            List<Version> versions = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    versions.add(new Version(rows.getString(1), rows.getInt(2), rows.getString(3), rows.getString(4),
                            rows.getString(5)));
                }
            }
            return versions;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
