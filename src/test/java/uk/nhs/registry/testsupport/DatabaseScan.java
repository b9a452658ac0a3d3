package uk.nhs.registry.testsupport;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every text column of every table in the connection's schema, as the database lists them (so a
 * table added later is scanned too): where a value such as an NHS number still appears.
 */
public final class DatabaseScan {

    private static final Set<Integer> TEXT = Set.of(Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.CLOB,
            Types.NVARCHAR, Types.NCHAR, Types.LONGNVARCHAR, Types.NCLOB, Types.OTHER);

    private DatabaseScan() {
    }

    /** {@code table.column} of each text column holding {@code text} anywhere in a value. */
    public static List<String> columnsContaining(Connection connection, String text) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String quote = meta.getIdentifierQuoteString();
        List<String[]> columns = new ArrayList<>();
        try (ResultSet tables = meta.getTables(null, connection.getSchema(), "%", null)) {
            while (tables.next()) {
                String type = tables.getString("TABLE_TYPE");
                if (type == null || !type.toUpperCase().contains("TABLE") || type.toUpperCase().contains("SYSTEM")) {
                    continue;
                }
                String table = tables.getString("TABLE_NAME");
                try (ResultSet found = meta.getColumns(null, connection.getSchema(), table, "%")) {
                    while (found.next()) {
                        if (TEXT.contains(found.getInt("DATA_TYPE"))) {
                            columns.add(new String[] {table, found.getString("COLUMN_NAME")});
                        }
                    }
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("no text columns found: the scan would prove nothing");
        }
        List<String> holding = new ArrayList<>();
        for (String[] column : columns) {
            String sql = "SELECT COUNT(*) FROM " + quote + column[0] + quote + " WHERE CAST(" + quote + column[1] + quote
                    + " AS VARCHAR) LIKE ?";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setString(1, "%" + text + "%");
                try (ResultSet count = select.executeQuery()) {
                    count.next();
                    if (count.getLong(1) > 0) {
                        holding.add(column[0] + "." + column[1]);
                    }
                }
            }
        }
        return holding;
    }

    /** The tables {@link #columnsContaining} scans, for a test to check that the scan saw what it should. */
    public static List<String> tables(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), "%", null)) {
            while (tables.next()) {
                String type = tables.getString("TABLE_TYPE");
                if (type != null && type.toUpperCase().contains("TABLE") && !type.toUpperCase().contains("SYSTEM")) {
                    names.add(tables.getString("TABLE_NAME").toLowerCase());
                }
            }
        }
        return names;
    }
}
