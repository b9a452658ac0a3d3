package uk.nhs.registry.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;

/**
 * A pooled connection to the embedded H2 database whose writes are recorded and, on commit,
 * appended to the {@link H2CommitLog} and synced before {@code commit()} returns.
 *
 * <p>Writes must use prepared statements with text, integer, long or null parameters: those are
 * what the log can make again exactly. Anything else that could write (a plain statement's update,
 * batches, savepoints) is refused rather than left out of the log.
 */
final class LoggedConnection implements InvocationHandler {

    private static final Set<String> UNRECORDED_WRITES = Set.of(
            "execute", "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch", "addBatch");

    private final Connection connection;
    private final H2CommitLog log;
    private final LoggedTransaction transaction = new LoggedTransaction();
    private Connection proxy;

    private LoggedConnection(Connection connection, H2CommitLog log) {
        this.connection = connection;
        this.log = log;
    }

    static Connection wrap(Connection connection, H2CommitLog log) {
        LoggedConnection handler = new LoggedConnection(connection, log);
        handler.proxy = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, handler);
        return handler.proxy;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "prepareStatement":
                return RecordingStatement.wrap((PreparedStatement) call(connection, method, args), (String) args[0], this);
            case "createStatement":
                return ReadOnlyStatement.wrap((Statement) call(connection, method, args));
            case "prepareCall", "setSavepoint", "releaseSavepoint":
                throw notRecorded(method.getName());
            case "commit":
                commit(connection::commit);
                return null;
            case "rollback":
                if (args != null) {
                    throw notRecorded("rollback to a savepoint");
                }
                transaction.clear();
                connection.rollback();
                return null;
            case "setAutoCommit":
                if ((Boolean) args[0] && !connection.getAutoCommit()) {
                    commit(() -> connection.setAutoCommit(true)); // JDBC: switching auto-commit on commits
                    return null;
                }
                return call(connection, method, args);
            case "isValid":
                // Readiness asks this: a database that answers but whose log refuses every commit
                // must not be sent writes.
                return log.isWritable() && (Boolean) call(connection, method, args);
            case "close":
                transaction.clear(); // the pool rolls back what was not committed
                return call(connection, method, args);
            default:
                return call(connection, method, args);
        }
    }

    private void commit(H2CommitLog.Commit commit) throws SQLException {
        if (transaction.isEmpty()) {
            commit.run(); // nothing written: nothing to log or wait for
            return;
        }
        long record;
        try {
            record = log.commit(commit, transaction);
        } finally {
            transaction.clear();
        }
        log.awaitDurable(record);
    }

    /** A statement ran an update; in auto-commit mode it is made a transaction of its own. */
    int executed(String sql, Object[] parameters, Execution update) throws SQLException {
        if (!connection.getAutoCommit()) {
            int changed = update.run();
            transaction.add(sql, parameters, changed);
            return changed;
        }
        connection.setAutoCommit(false);
        try {
            int changed = update.run();
            transaction.add(sql, parameters, changed);
            commit(connection::commit);
            return changed;
        } catch (SQLException | RuntimeException e) {
            transaction.clear();
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    Connection proxy() {
        return proxy;
    }

    @FunctionalInterface
    interface Execution {
        int run() throws SQLException;
    }

    static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static SQLFeatureNotSupportedException notRecorded(String what) {
        return new SQLFeatureNotSupportedException("Not on the embedded H2 database: " + what + " would not be in"
                + " its commit log; write with a prepared statement's executeUpdate() in a transaction");
    }

    /** A prepared statement whose updates are recorded with their parameters. */
    private static final class RecordingStatement implements InvocationHandler {

        private static final Object[] NONE = new Object[0];
        private static final Object UNSET = new Object();

        private final PreparedStatement statement;
        private final String sql;
        private final LoggedConnection connection;
        private Object[] parameters = NONE;

        private RecordingStatement(PreparedStatement statement, String sql, LoggedConnection connection) {
            this.statement = statement;
            this.sql = sql;
            this.connection = connection;
        }

        static PreparedStatement wrap(PreparedStatement statement, String sql, LoggedConnection connection) {
            return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, new RecordingStatement(statement, sql, connection));
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index) {
                Object result = call(statement, method, args);
                remember(index, name.equals("setNull") ? new LoggedTransaction.SqlNull((Integer) args[1]) : args[1]);
                return result;
            }
            switch (name) {
                case "clearParameters":
                    parameters = NONE;
                    return call(statement, method, args);
                case "executeUpdate", "executeLargeUpdate":
                    if (args != null) {
                        throw notRecorded("an update with its own SQL text");
                    }
                    Object[] values = loggable();
                    int changed = connection.executed(sql, values, statement::executeUpdate);
                    return name.equals("executeUpdate") ? (Object) changed : (Object) (long) changed;
                case "getConnection":
                    return connection.proxy();
                default:
                    if (UNRECORDED_WRITES.contains(name)) {
                        throw notRecorded(name + " on a prepared statement");
                    }
                    return call(statement, method, args);
            }
        }

        private void remember(int index, Object value) {
            if (index > parameters.length) {
                int from = parameters.length;
                parameters = Arrays.copyOf(parameters, index);
                Arrays.fill(parameters, from, index, UNSET);
            }
            parameters[index - 1] = LoggedTransaction.isLoggable(value) ? value : new Unloggable(value);
        }

        private Object[] loggable() throws SQLException {
            for (Object value : parameters) {
                if (value instanceof Unloggable unloggable) {
                    throw notRecorded("a parameter of type " + unloggable.value().getClass().getName());
                }
                if (value == UNSET) {
                    throw new SQLException("a parameter of " + sql + " is not set");
                }
            }
            return parameters;
        }

        private record Unloggable(Object value) {
        }
    }

    /** A plain statement: it may query, but not write past the log. */
    private static final class ReadOnlyStatement implements InvocationHandler {

        private final Statement statement;

        private ReadOnlyStatement(Statement statement) {
            this.statement = statement;
        }

        static Statement wrap(Statement statement) {
            return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(),
                    new Class<?>[] {Statement.class}, new ReadOnlyStatement(statement));
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            if (UNRECORDED_WRITES.contains(method.getName())) {
                throw notRecorded(method.getName() + " on a plain statement");
            }
            return call(statement, method, args);
        }
    }
}
