package uk.nhs.registry.karaf;

import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A DataSource the hub already publishes as an OSGi service (pax-jdbc style), found by the LDAP
 * filter in registry.db.datasource-service, e.g. {@code (osgi.jndi.service.name=registryDS)}.
 */
final class HubDataSource {

    /** The hub may register its DataSource after the registry's bundle has started. */
    private static final long WAIT_MILLIS = 30_000;

    private HubDataSource() {
    }

    static DataSource await(BundleContext bundleContext, String filter) {
        String full = "(&(objectClass=" + DataSource.class.getName() + ")" + filter + ")";
        ServiceTracker<DataSource, DataSource> tracker;
        try {
            tracker = new ServiceTracker<>(bundleContext, FrameworkUtil.createFilter(full), null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("registry.db.datasource-service is not an OSGi filter: " + filter, e);
        }
        tracker.open();
        try {
            DataSource dataSource = tracker.waitForService(WAIT_MILLIS);
            if (dataSource == null) {
                throw new IllegalStateException("no DataSource service matches " + filter + " after "
                        + WAIT_MILLIS / 1000 + " s");
            }
            // The service object stays valid for as long as the registry runs; the hub owns it.
            return dataSource;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for DataSource " + filter, e);
        }
    }
}
