package uk.nhs.registry.ops;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: the profile validator has been warmed up, so the first requests do not pay seconds of
 * class loading and snapshot generation. Whoever warms the validator up calls {@link #warm()}
 * afterwards; should warm-up ever move off the start-up thread, readiness follows it.
 */
public final class ValidatorHealthCheck extends AbstractHealthCheck {

    public static final String ID = "registry-validator";

    private volatile boolean warm;

    public ValidatorHealthCheck() {
        super("registry", ID);
    }

    /** The validator has validated its warm-up sample. */
    public void warm() {
        this.warm = true;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (warm) {
            builder.up().message("profile validator warm");
        } else {
            builder.down().message("profile validator warming up");
        }
    }
}
