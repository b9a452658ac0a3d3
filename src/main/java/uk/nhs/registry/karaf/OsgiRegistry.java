package uk.nhs.registry.karaf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.nhs.registry.RegistryConfiguration;
import uk.nhs.registry.RegistrySettings;
import uk.nhs.registry.store.RegistryDatabase;

/**
 * One running registry inside OSGi: an OSGi-aware CamelContext (camel-core-osgi) with the
 * standalone defaults (application.properties) overridden by the configuration admin properties,
 * the very same beans (RegistryConfiguration) and the very same route files, read from this bundle.
 */
final class OsgiRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(OsgiRegistry.class);
    private static final String DEFAULTS = "application.properties";
    private static final String ROUTES_FOLDER = "routes";

    private final CamelContext context;

    private OsgiRegistry(CamelContext context) {
        this.context = context;
    }

    static OsgiRegistry start(BundleContext bundleContext, Map<String, String> configuration) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Libraries that look things up through the thread's class loader (ServiceLoader users
        // such as HAPI's cache factory) must see what this bundle sees, not Karaf's loader.
        thread.setContextClassLoader(OsgiRegistry.class.getClassLoader());
        CamelContext context = new OsgiDefaultCamelContext(bundleContext);
        AtomicReference<RegistryDatabase> opened = new AtomicReference<>();
        try {
            context.getCamelContextExtension().setName("appointment-registry");
            PropertiesComponent properties = context.getPropertiesComponent();
            properties.setInitialProperties(bundleDefaults(bundleContext.getBundle()));
            Properties overrides = new Properties();
            overrides.putAll(configuration);
            properties.setOverrideProperties(overrides);
            context.getShutdownStrategy().setTimeout(Long.parseLong(properties
                    .resolveProperty("camel.main.shutdown-timeout").orElse("20").trim()));

            new RegistryConfiguration(settings -> {
                opened.set(database(bundleContext, properties, settings));
                return opened.get();
            }).configure(context);
            PluginHelper.getRoutesLoader(context).loadRoutes(bundleRoutes(bundleContext.getBundle()));
            context.start();
            LOG.info("Appointment Registry started in OSGi bundle {} {}", bundleContext.getBundle().getSymbolicName(),
                    bundleContext.getBundle().getVersion());
            return new OsgiRegistry(context);
        } catch (Exception | Error e) {
            context.stop();
            // A context that never started does not stop its services: close the pool here.
            if (opened.get() != null) {
                opened.get().close();
            }
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Stops the routes (the port is closed when the Jetty consumer stops) and closes the pool. */
    void stop() {
        context.stop();
        LOG.info("Appointment Registry stopped");
    }

    private static RegistryDatabase database(BundleContext bundleContext, PropertiesComponent properties,
            RegistrySettings settings) {
        return RegistrySettings.dataSourceService(properties)
                .map(filter -> RegistryDatabase.borrowed(HubDataSource.await(bundleContext, filter)))
                .orElseGet(() -> RegistryDatabase.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(),
                        settings.dbPoolSize()));
    }

    private static Properties bundleDefaults(Bundle bundle) {
        Properties defaults = new Properties();
        URL url = bundle.getEntry(DEFAULTS);
        if (url != null) {
            try (InputStream in = url.openStream()) {
                defaults.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return defaults;
    }

    /** The YAML route files packaged in this bundle, the same ones the standalone jar loads. */
    static List<Resource> bundleRoutes(Bundle bundle) throws IOException {
        List<URL> urls = Collections.list(bundle.findEntries(ROUTES_FOLDER, "*.yaml", false));
        urls.sort((a, b) -> a.getPath().compareTo(b.getPath()));
        List<Resource> routes = new ArrayList<>();
        for (URL url : urls) {
            try (InputStream in = url.openStream()) {
                String name = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
                routes.add(ResourceHelper.fromBytes("classpath:" + ROUTES_FOLDER + "/" + name, in.readAllBytes()));
            }
        }
        if (routes.isEmpty()) {
            throw new IllegalStateException("no route files under /" + ROUTES_FOLDER + " in bundle " + bundle.getSymbolicName());
        }
        return routes;
    }
}
