package uk.nhs.registry;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once the registry has started, logs what camel-main actually did with its configuration: where
 * the management server listens, and which route files it loaded. Read from camel-main's own bound
 * configuration, not from the properties, so the line cannot disagree with the port that is open
 * (environment variables, system properties and files are merged by camel-main, with rules of its own).
 */
final class StartupSummary extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StartupSummary.class);

    @Override
    public void afterStart(BaseMainSupport main) {
        MainConfigurationProperties configuration = main.configure();
        logManagement(configuration);
        // A route file not named by the pattern is not loaded: say which ones are, and where that is decided.
        LOG.info("Route files loaded (camel.main.routes-include-pattern): {}",
                Arrays.stream(String.valueOf(configuration.getRoutesIncludePattern()).split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.joining(", ")));
    }

    private static void logManagement(MainConfigurationProperties configuration) {
        HttpManagementServerConfigurationProperties server = configuration.httpManagementServer();
        if (!server.isEnabled()) {
            LOG.warn("Management server off (camel.management.enabled=false): no health or metrics endpoints");
            return;
        }
        String root = "http://" + server.getHost() + ":" + server.getPort();
        String health = root + server.getHealthPath();
        LOG.info("Management (plain HTTP, no token): liveness {}/live, readiness {}/ready, metrics {}{}",
                health, health, root, configuration.metrics().getPath());
    }
}
