package uk.nhs.registry.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the registry's database the way an operator would: audit rows and stored identifiers. */
public final class AuditRows {

    private AuditRows() {
    }

    /** The audit_event rows of one request id, oldest first, column name (lower case) to value. */
    public static List<Map<String, Object>> ofRequest(RunningRegistry registry, String requestId) {
        return query(registry, "SELECT * FROM audit_event WHERE request_id = ? ORDER BY recorded_at", requestId);
    }

    /** The audit_event rows of one appointment, oldest first. */
    public static List<Map<String, Object>> ofAppointment(RunningRegistry registry, String appointmentId) {
        return query(registry, "SELECT * FROM audit_event WHERE appointment_id = ? ORDER BY recorded_at, appointment_version",
                appointmentId);
    }

    /** How many appointments carry this identifier value. */
    public static long appointmentsWithIdentifier(RunningRegistry registry, String identifierValue) {
        List<Map<String, Object>> rows = query(registry,
                "SELECT COUNT(*) AS n FROM appointment_identifier WHERE id_value = ?", identifierValue);
        return ((Number) rows.get(0).get("n")).longValue();
    }

    public static List<Map<String, Object>> query(RunningRegistry registry, String sql, Object... parameters) {
        try (Connection db = registry.database(); PreparedStatement select = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c).toLowerCase(Locale.ROOT), result.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
