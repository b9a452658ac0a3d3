package uk.nhs.registry.karaf;

import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;

/**
 * The registry's entry point inside an OSGi container (Karaf): it listens to the configuration
 * PID {@value #PID} and runs one registry per configuration. Stopping, updating or uninstalling
 * the bundle stops the routes and frees the port.
 */
public final class RegistryBundleActivator implements BundleActivator {

    /** Karaf reads it from etc/uk.nhs.registry.cfg. */
    public static final String PID = "uk.nhs.registry";

    private RegistryLifecycle lifecycle;
    private ServiceRegistration<ManagedService> registration;

    @Override
    public void start(BundleContext bundleContext) {
        lifecycle = new RegistryLifecycle(bundleContext);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_PID, PID);
        registration = bundleContext.registerService(ManagedService.class, lifecycle::configurationChanged, properties);
    }

    @Override
    public void stop(BundleContext bundleContext) {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (lifecycle != null) {
            lifecycle.close();
            lifecycle = null;
        }
    }
}
