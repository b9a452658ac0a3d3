package uk.nhs.registry.karaf;

import java.util.Dictionary;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, restarts and stops the registry as its configuration comes and goes. Configuration admin
 * calls back on its own thread, which must not block on a Camel start, so every change is applied
 * in order on one thread of our own.
 */
final class RegistryLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryLifecycle.class);
    private static final long STOP_WAIT_SECONDS = 60;

    private final BundleContext bundleContext;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "appointment-registry-lifecycle");
        thread.setDaemon(true);
        return thread;
    });
    private OsgiRegistry running;

    RegistryLifecycle(BundleContext bundleContext) {
        this.bundleContext = bundleContext;
    }

    /** ManagedService callback: null means there is no configuration (any more). */
    void configurationChanged(Dictionary<String, ?> configuration) {
        Map<String, String> properties = configuration == null ? null : asMap(configuration);
        worker.execute(() -> apply(properties));
    }

    private void apply(Map<String, String> properties) {
        stopRunning();
        if (properties == null) {
            LOG.info("Appointment Registry waits for its configuration (PID {}, etc/{}.cfg)",
                    RegistryBundleActivator.PID, RegistryBundleActivator.PID);
            return;
        }
        try {
            running = OsgiRegistry.start(bundleContext, properties);
        } catch (Exception | LinkageError e) {
            // Stays stopped until the configuration changes; the cause is what an operator needs.
            LOG.error("Appointment Registry did not start: {}", e.toString(), e);
        }
    }

    private void stopRunning() {
        if (running != null) {
            running.stop();
            running = null;
        }
    }

    /** Stops the registry (routes, port, pool) before the bundle goes away. */
    void close() {
        worker.execute(this::stopRunning);
        worker.shutdown();
        try {
            if (!worker.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Appointment Registry did not stop within {} s", STOP_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> asMap(Dictionary<String, ?> configuration) {
        Map<String, String> map = new TreeMap<>();
        for (var keys = configuration.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            Object value = configuration.get(key);
            if (value != null) {
                map.put(key, value.toString());
            }
        }
        return map;
    }
}
