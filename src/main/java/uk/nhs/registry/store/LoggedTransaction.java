package uk.nhs.registry.store;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes of one committed transaction, as the prepared statements that made them: their SQL,
 * their parameters and how many rows each changed. {@link H2CommitLog} keeps these so that a
 * transaction can be made again from the log after a crash ({@link #replay}).
 *
 * <p>Replaying is exact only because every value the registry writes is computed in Java (ids,
 * times, versions), never by the database; the log refuses what it could not repeat.
 */
final class LoggedTransaction {

    private static final byte NULL = 0;
    private static final byte TEXT = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;

    /** A parameter set with {@code setNull}; keeps its SQL type. */
    record SqlNull(int sqlType) {
    }

    record Statement(String sql, Object[] parameters, int updateCount) {
    }

    private final List<Statement> statements = new ArrayList<>();

    void add(String sql, Object[] parameters, int updateCount) {
        statements.add(new Statement(sql, parameters.clone(), updateCount));
    }

    boolean isEmpty() {
        return statements.isEmpty();
    }

    void clear() {
        statements.clear();
    }

    int size() {
        return statements.size();
    }

    /** Whether {@code value} is a parameter this log can write and replay exactly. */
    static boolean isLoggable(Object value) {
        return value == null || value instanceof String || value instanceof Integer || value instanceof Long
                || value instanceof SqlNull;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 64 * statements.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(statements.size());
            for (Statement statement : statements) {
                writeText(out, statement.sql());
                out.writeInt(statement.updateCount());
                out.writeInt(statement.parameters().length);
                for (Object parameter : statement.parameters()) {
                    writeParameter(out, parameter);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory stream does not fail
        }
        return bytes.toByteArray();
    }

    static LoggedTransaction decode(DataInputStream in) throws IOException {
        LoggedTransaction transaction = new LoggedTransaction();
        int count = in.readInt();
        for (int s = 0; s < count; s++) {
            String sql = readText(in);
            int updateCount = in.readInt();
            Object[] parameters = new Object[in.readInt()];
            for (int p = 0; p < parameters.length; p++) {
                parameters[p] = readParameter(in);
            }
            transaction.statements.add(new Statement(sql, parameters, updateCount));
        }
        return transaction;
    }

    /**
     * Makes this transaction again on {@code connection} (auto-commit off) and commits it, unless
     * the database already holds it: then its first statement fails on a unique key, or changes a
     * different number of rows (a version-checked update), and nothing is changed.
     *
     * @return whether it was made again
     * @throws SQLException if it fails in any other way, or after its first statement: the
     *     database is then not a state this log can follow from
     */
    boolean replay(Connection connection) throws SQLException {
        try {
            for (int i = 0; i < statements.size(); i++) {
                Statement statement = statements.get(i);
                int changed;
                try {
                    changed = execute(connection, statement);
                } catch (SQLException e) {
                    if (i == 0 && SqlErrors.isUniqueViolation(e)) {
                        connection.rollback();
                        return false;
                    }
                    throw e;
                }
                if (changed != statement.updateCount()) {
                    if (i == 0) {
                        connection.rollback();
                        return false;
                    }
                    throw new SQLException("statement " + (i + 1) + " of a logged transaction changed " + changed
                            + " rows on replay, " + statement.updateCount() + " when it was first made: " + statement.sql());
                }
            }
            connection.commit();
            return true;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private static int execute(Connection connection, Statement statement) throws SQLException {
        try (PreparedStatement prepared = connection.prepareStatement(statement.sql())) {
            Object[] parameters = statement.parameters();
            for (int p = 0; p < parameters.length; p++) {
                Object value = parameters[p];
                if (value instanceof SqlNull sqlNull) {
                    prepared.setNull(p + 1, sqlNull.sqlType());
                } else {
                    prepared.setObject(p + 1, value);
                }
            }
            return prepared.executeUpdate();
        }
    }

    private static void writeParameter(DataOutputStream out, Object value) throws IOException {
        if (value instanceof String text) {
            out.writeByte(TEXT);
            writeText(out, text);
        } else if (value instanceof Integer number) {
            out.writeByte(INT);
            out.writeInt(number);
        } else if (value instanceof Long number) {
            out.writeByte(LONG);
            out.writeLong(number);
        } else if (value instanceof SqlNull sqlNull) {
            out.writeByte(NULL);
            out.writeInt(sqlNull.sqlType());
        } else {
            // setString(i, null) and the like: the driver writes NULL of the column's own type.
            out.writeByte(NULL);
            out.writeInt(java.sql.Types.NULL);
        }
    }

    private static Object readParameter(DataInputStream in) throws IOException {
        byte type = in.readByte();
        return switch (type) {
            case TEXT -> readText(in);
            case INT -> in.readInt();
            case LONG -> in.readLong();
            case NULL -> {
                int sqlType = in.readInt();
                yield sqlType == java.sql.Types.NULL ? null : new SqlNull(sqlType);
            }
            default -> throw new IOException("unknown parameter type " + type + " in the commit log");
        };
    }

    // Not writeUTF: it stops at 64 KB, and a resource can be longer.
    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
