package uk.nhs.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.dstu3.model.Appointment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.outcome.Issue;

/**
 * The registry's fast validator must give the verdicts stock HAPI gives: a plain FhirValidator with
 * a FhirInstanceValidator, built the default way, over the same definitions and settings. Over a
 * generated corpus of valid and invalid Appointments, each must be accepted or rejected alike,
 * with the same findings (issue type, text and element). The fast side runs on several threads
 * so that pooled validators are shared, replaced after their quota of uses, and raced. An *IT rather
 * than a unit test: it builds stock HAPI whole and validates the corpus twice, minutes of CPU that
 * the unit loop should not wait for.
 */
class StockHapiDifferentialIT {

    private static final int CORPUS_SIZE = 2_000;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a bound against a hang, not a speed target
    void theFastValidatorGivesStockHapiVerdicts() throws Exception {
        ProfileValidator fast = Validators.withSharedProfiles();
        FhirValidator stock = ProfileValidator.fhirValidator(Fhir.context(),
                ProfileValidator.configured(new FhirInstanceValidator(fast.stockSupportChain())));
        List<Appointment> corpus = AppointmentCorpus.generate(20_261_122L, CORPUS_SIZE);

        List<List<Issue>> expected = inParallel(corpus, a -> ProfileValidator.validate(stock, a.copy()), 2);
        List<List<Issue>> actual = inParallel(corpus, a -> fast.validate(a.copy()), 4);

        List<String> differences = new ArrayList<>();
        long rejected = 0;
        for (int i = 0; i < corpus.size(); i++) {
            if (!expected.get(i).isEmpty()) {
                rejected++;
            }
            if (!new LinkedHashSet<>(expected.get(i)).equals(new LinkedHashSet<>(actual.get(i)))) {
                differences.add("#" + i + " " + TestJson.of(corpus.get(i)) + "\n  stock: " + expected.get(i)
                        + "\n  fast:  " + actual.get(i));
            }
        }
        System.out.printf("Differential over %d appointments: %d rejected, %d accepted, %d differences%n",
                corpus.size(), rejected, corpus.size() - rejected, differences.size());
        // A corpus of only one kind would prove nothing.
        assertThat(rejected).isBetween(corpus.size() / 5L, corpus.size() * 4L / 5);
        assertThat(differences).as("appointments whose verdict differs from stock HAPI").isEmpty();
    }

    private static List<List<Issue>> inParallel(List<Appointment> corpus, Function<Appointment, List<Issue>> validate,
            int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Issue>>> futures = new ArrayList<>();
            for (Appointment a : corpus) {
                futures.add(pool.submit(() -> validate.apply(a)));
            }
            List<List<Issue>> results = new ArrayList<>();
            for (Future<List<Issue>> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static final class TestJson {
        static String of(Appointment a) {
            return Fhir.context().newJsonParser().encodeResourceToString(a);
        }
    }
}
