package uk.nhs.registry.ops;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import uk.nhs.registry.store.AppointmentStore;

/**
 * Wires what an operator sees of the registry besides the FHIR API: the meter registry that
 * camel-main's management server scrapes, the registry's own metrics, the per-request metrics and
 * access log, the connection pool's metrics, and the readiness checks. The management server
 * itself (port, health and metrics endpoints) is camel-main's, configured by {@code camel.management.*}.
 */
public final class Operations {

    /** The route whose exchanges are FHIR requests (routes/fhir-api.yaml). */
    public static final String HTTP_ROUTE_ID = "fhir-api";

    private final RegistryMetrics metrics;
    private final ValidatorHealthCheck validatorCheck;

    private Operations(RegistryMetrics metrics, ValidatorHealthCheck validatorCheck) {
        this.metrics = metrics;
        this.validatorCheck = validatorCheck;
    }

    /** The registry's own pool, also behind the H2 group-commit wrapper; null for a hub's DataSource. */
    private static HikariDataSource hikariPool(DataSource dataSource) {
        try {
            return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    public static Operations install(CamelContext context, DataSource dataSource) {
        MeterRegistry meters = meterRegistry(context);
        RegistryMetrics metrics = new RegistryMetrics(meters);
        context.getRegistry().bind(RegistryMetrics.BEAN_NAME, metrics);
        context.getManagementStrategy().addEventNotifier(new HttpRequestMetrics(HTTP_ROUTE_ID, meters, metrics));
        context.getManagementStrategy().addEventNotifier(new HttpAccessLog(HTTP_ROUTE_ID));
        HikariDataSource pool = hikariPool(dataSource);
        if (pool != null) {
            // hikaricp_connections_{active,idle,pending}, hikaricp_connections_acquire_seconds: a
            // saturated pool is the first thing to look at when several instances share a database.
            pool.setMetricRegistry(meters);
        }

        ValidatorHealthCheck validatorCheck = new ValidatorHealthCheck();
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            AppointmentStore store = new AppointmentStore(dataSource);
            health.register(new DatabaseHealthCheck(store::isReachable));
            health.register(validatorCheck);
        }
        return new Operations(metrics, validatorCheck);
    }

    public RegistryMetrics metrics() {
        return metrics;
    }

    /** To be called once the profile validator is warm: readiness waits for it. */
    public void validatorWarm() {
        validatorCheck.warm();
    }

    /**
     * The one meter registry of this Camel context: camel-micrometer-prometheus's if it has made
     * it already, else a new one bound where it will find it. Either way Camel's route metrics and
     * the registry's end up in one scrape.
     */
    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry found = context.getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (found != null) {
            return found;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }
}
