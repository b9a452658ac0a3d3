package uk.nhs.registry.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.dstu3.model.Appointment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import uk.nhs.registry.security.Caller;
import uk.nhs.registry.store.AppointmentStore;
import uk.nhs.registry.store.RegistryDatabase;
import uk.nhs.registry.store.StoredAppointment;
import uk.nhs.registry.testsupport.TestAppointments;

/**
 * One registration committed to the embedded H2 file database (three inserts, one transaction),
 * as the registry's default configuration does it; the database starts empty in a temporary folder.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class StoreWriteBenchmark {

    private static final Caller CALLER = Caller.http("urn:appointment-registry:dev-issuer", "benchmark", null,
            "CN=dev-client, O=Appointment Registry Dev");

    private final AtomicLong sequence = new AtomicLong();
    private RegistryDatabase database;
    private AppointmentStore store;
    private Appointment template;

    @Setup
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("store-benchmark");
        database = RegistryDatabase.open("jdbc:h2:file:" + dir.resolve("registry").toAbsolutePath(), "sa", "", 10);
        store = new AppointmentStore(database.dataSource());
        template = TestAppointments.booked("9434765919");
    }

    @TearDown
    public void tearDown() {
        database.close();
    }

    @Benchmark
    public StoredAppointment register() {
        Appointment a = template.copy();
        a.getIdentifierFirstRep().setValue("urn:benchmark:" + sequence.incrementAndGet());
        return store.register(a, "9434765919", CALLER, "benchmark-request");
    }
}
