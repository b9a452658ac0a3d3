package uk.nhs.registry.ops;

import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the registry database answers (and, for the embedded H2 database, its commit log
 * still takes writes). Readiness only, not liveness: a database outage is not
 * cured by restarting the registry, so the orchestrator should stop sending traffic, not kill it.
 * A check against a database that does not answer takes up to the pool's connection timeout
 * (10 s); set the probe's timeout above that.
 */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    public static final String ID = "registry-database";

    private final BooleanSupplier reachable;

    public DatabaseHealthCheck(BooleanSupplier reachable) {
        super("registry", ID);
        this.reachable = reachable;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        // The message is for operators reading /observe/health: no URL, user or driver detail.
        if (reachable.getAsBoolean()) {
            builder.up().message("database answers");
        } else {
            builder.down().message("database does not answer or refuses writes (see the registry log)");
        }
    }
}
