package uk.nhs.registry.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The search statement for one query: only the criteria given become conditions, and every value
 * is a bound parameter, never part of the SQL text.
 */
record SearchSql(String text, List<Object> parameters) {

    static SearchSql of(Flavour flavour, AppointmentQuery query) {
        StringBuilder sql = new StringBuilder(
                "SELECT a.id, a.version, a.last_updated, a.status, a.resource FROM appointment a WHERE a.flavour = ?");
        List<Object> parameters = new ArrayList<>();
        parameters.add(flavour.column());
        condition(sql, parameters, " AND a.nhs_number = ?", query.nhsNumber());
        condition(sql, parameters, " AND a.patient_reference = ?", query.patientReference());
        condition(sql, parameters, " AND a.status = ?", query.status());
        condition(sql, parameters, " AND a.start_millis >= ?", query.startFromInclusive());
        condition(sql, parameters, " AND a.start_millis < ?", query.startBeforeExclusive());
        if (query.identifierSystem() != null || query.identifierValue() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM appointment_identifier i WHERE i.appointment_id = a.id AND i.flavour = a.flavour");
            condition(sql, parameters, " AND i.id_system = ?", query.identifierSystem());
            condition(sql, parameters, " AND i.id_value = ?", query.identifierValue());
            sql.append(')');
        }
        // NULLS LAST spelled out: H2 and PostgreSQL disagree on where NULLs sort by default.
        sql.append(" ORDER BY a.start_millis NULLS LAST, a.id");
        return new SearchSql(sql.toString(), List.copyOf(parameters));
    }

    private static void condition(StringBuilder sql, List<Object> parameters, String condition, Object value) {
        if (value != null) {
            sql.append(condition);
            parameters.add(value);
        }
    }

    void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }
}
