package uk.nhs.registry.expiry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAmount;
import java.util.Optional;
import org.apache.camel.spi.PropertiesComponent;
import uk.nhs.registry.store.AppointmentExpiry.Cutoffs;

/**
 * The expiry keys (CONTRACT §6, README "Expiry"). Ages are ISO-8601: a duration ({@code P400D},
 * {@code PT36H}) or a period ({@code P1Y}, counted on the UTC calendar). Neither age set = expiry off.
 */
public record ExpirySettings(Optional<TemporalAmount> afterCreated, Optional<TemporalAmount> afterEnd,
        Duration interval, int batchSize) {

    static final String AFTER_CREATED = "registry.expiry.after-created";
    static final String AFTER_END = "registry.expiry.after-end";
    static final String INTERVAL = "registry.expiry.interval";
    static final String BATCH_SIZE = "registry.expiry.batch-size";

    private static final int MAX_BATCH_SIZE = 10_000;

    public static ExpirySettings load(PropertiesComponent properties) {
        Reader r = new Reader(properties);
        return new ExpirySettings(age(r, AFTER_CREATED), age(r, AFTER_END),
                interval(r.get(INTERVAL, "PT15M")), batchSize(r.get(BATCH_SIZE, "500")));
    }

    public boolean enabled() {
        return afterCreated.isPresent() || afterEnd.isPresent();
    }

    /** What is due now: created at or before now minus after-created, or ended at or before now minus after-end. */
    public Cutoffs cutoffs(Clock clock) {
        Instant now = clock.instant();
        return new Cutoffs(afterCreated.map(age -> before(now, age)), afterEnd.map(age -> before(now, age)));
    }

    private static Instant before(Instant now, TemporalAmount age) {
        return now.atZone(ZoneOffset.UTC).minus(age).toInstant();
    }

    private static Optional<TemporalAmount> age(Reader r, String key) {
        String value = r.get(key, "");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        TemporalAmount age;
        boolean positive;
        try {
            Duration duration = Duration.parse(value);
            age = duration;
            positive = !duration.isNegative() && !duration.isZero();
        } catch (DateTimeParseException notADuration) {
            try {
                Period period = Period.parse(value);
                age = period;
                positive = !period.isNegative() && !period.isZero();
            } catch (DateTimeParseException notAPeriod) {
                throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as P400D, PT36H or P1Y;"
                        + " got '" + value + "'.");
            }
        }
        if (!positive) {
            throw new IllegalArgumentException(key + " must be longer than zero (leave it unset for no expiry by this"
                    + " rule); got '" + value + "'.");
        }
        return Optional.of(age);
    }

    private static Duration interval(String value) {
        Duration interval;
        try {
            interval = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(INTERVAL + " must be an ISO-8601 duration such as PT15M; got '" + value + "'.");
        }
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException(INTERVAL + " must be at least a millisecond; got '" + value + "'.");
        }
        return interval;
    }

    private static int batchSize(String value) {
        int size;
        try {
            size = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 1 || size > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException(BATCH_SIZE + " must be a whole number from 1 to " + MAX_BATCH_SIZE
                    + " (each batch is one transaction, holding its rows' locks until it commits); got '" + value + "'.");
        }
        return size;
    }

    private record Reader(PropertiesComponent properties) {
        String get(String key, String fallback) {
            return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(fallback);
        }
    }
}
