package uk.nhs.registry.benchmark;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import uk.nhs.registry.format.AppointmentParser;
import uk.nhs.registry.format.FhirFormat;
import uk.nhs.registry.testsupport.TestAppointments;

/** Parsing a registration body as the HTTP and feed paths do (with the registry's strict checks). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ParseBenchmark {

    private final AppointmentParser parser = new AppointmentParser();
    private String json;
    private String xml;

    @Setup
    public void setUp() {
        Appointment a = TestAppointments.booked("9434765919");
        json = TestAppointments.json(a);
        xml = TestAppointments.xml(a);
    }

    @Benchmark
    public Appointment parseJson() {
        return parser.parse(json, FhirFormat.JSON);
    }

    @Benchmark
    public Appointment parseXml() {
        return parser.parse(xml, FhirFormat.XML);
    }
}
