package uk.nhs.registry;

import java.util.Properties;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.IOHelper;

/**
 * Makes {@code CAMEL_MANAGEMENT_PORT} (and any other {@code camel.*} key ending in {@code .port})
 * work as an environment variable, as every other key does.
 *
 * <p>camel-main binds the {@code camel.*} keys itself and reads environment variables for them,
 * but it skips every variable whose name ends in {@code _PORT} or contains {@code _PORT_}: it takes
 * them for the service links Kubernetes injects ({@code FOO_PORT=tcp://10.0.0.1:80}). So
 * {@code CAMEL_MANAGEMENT_PORT=28444} moved nothing, while Camel's properties component, which
 * has no such exception, resolved the key to 28444. This hands such a variable to camel-main as an
 * override property of the properties component, named by Camel's own convention
 * ({@link IOHelper#lookupEnvironmentVariable}: {@code camel.management.port} ← {@code CAMEL_MANAGEMENT_PORT}),
 * for the keys the configuration files name. A JVM system property still wins: camel-main applies
 * those after the properties component's values.
 */
final class PortEnvironmentVariables extends MainListenerSupport {

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        Properties camelKeys = properties.loadProperties(key -> key.startsWith("camel."));
        for (String key : camelKeys.stringPropertyNames()) {
            if (!skippedByCamelMain(IOHelper.normalizeEnvironmentVariable(key))) {
                continue;
            }
            String value = IOHelper.lookupEnvironmentVariable(key);
            if (value != null) {
                properties.addOverrideProperty(key, value);
            }
        }
    }

    /** camel-main's test for a Kubernetes service link (MainHelper.loadEnvironmentVariablesAsProperties). */
    static boolean skippedByCamelMain(String variable) {
        return variable.endsWith("_SERVICE_HOST") || variable.endsWith("_PORT") || variable.contains("_PORT_");
    }
}
