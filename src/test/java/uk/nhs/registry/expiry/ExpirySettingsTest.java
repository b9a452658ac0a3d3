package uk.nhs.registry.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import uk.nhs.registry.store.AppointmentExpiry.Cutoffs;

class ExpirySettingsTest {

    private static final Instant NOW = Instant.parse("2030-03-01T00:00:00Z");

    @Test
    void offByDefaultWithTheDocumentedIntervalAndBatchSize() {
        ExpirySettings settings = load();

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.interval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.batchSize()).isEqualTo(500);
        assertThat(settings.cutoffs(Clock.fixed(NOW, ZoneOffset.UTC)).any()).isFalse();
    }

    @Test
    void agesAreIsoDurationsOrPeriodsCountedBackFromNow() {
        ExpirySettings settings = load("registry.expiry.after-created", "P400D", "registry.expiry.after-end", "P1Y",
                "registry.expiry.interval", "PT30S", "registry.expiry.batch-size", "50");

        Cutoffs cutoffs = settings.cutoffs(Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.afterEnd()).contains(Period.ofYears(1));
        assertThat(cutoffs.created()).contains(NOW.minus(Duration.ofDays(400)));
        assertThat(cutoffs.end()).contains(Instant.parse("2029-03-01T00:00:00Z"));
        assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.batchSize()).isEqualTo(50);
    }

    @Test
    void eitherAgeAloneSwitchesExpiryOn() {
        assertThat(load("registry.expiry.after-end", "PT36H").enabled()).isTrue();
        assertThat(load("registry.expiry.after-created", "P30D").enabled()).isTrue();
    }

    @Test
    void refusesWhatIsNotAPositiveIsoDurationNamingTheKey() {
        assertThatThrownBy(() -> load("registry.expiry.after-created", "400 days"))
                .hasMessageContaining("registry.expiry.after-created").hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> load("registry.expiry.after-end", "P0D"))
                .hasMessageContaining("registry.expiry.after-end").hasMessageContaining("longer than zero");
        assertThatThrownBy(() -> load("registry.expiry.after-end", "-P1D")).hasMessageContaining("longer than zero");
        assertThatThrownBy(() -> load("registry.expiry.interval", "15m")).hasMessageContaining("registry.expiry.interval");
        assertThatThrownBy(() -> load("registry.expiry.batch-size", "0")).hasMessageContaining("registry.expiry.batch-size");
        assertThatThrownBy(() -> load("registry.expiry.batch-size", "many")).hasMessageContaining("registry.expiry.batch-size");
    }

    private static ExpirySettings load(String... keysAndValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(properties);
        return ExpirySettings.load(context.getPropertiesComponent());
    }
}
