package uk.nhs.registry.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import org.hl7.fhir.dstu3.model.Appointment;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.nhs.registry.testsupport.HostileBodies;
import uk.nhs.registry.Fhir;
import uk.nhs.registry.testsupport.AuditRows;
import uk.nhs.registry.testsupport.RunningRegistry;
import uk.nhs.registry.testsupport.SharedRegistry;
import uk.nhs.registry.testsupport.TestAppointments;
import uk.nhs.registry.testsupport.TestNhsNumbers;

/**
 * Fuzzes the register interaction through the real HTTP route: valid Appointments (JSON and XML)
 * mutated at the text and byte level, a few mutations each. Whatever arrives, the answer is a
 * 201 with a stored Appointment or a 4xx OperationOutcome - never a 5xx, never a hang (each
 * request is bounded by a 15 s timeout). 1,500 JSON + 1,000 XML cases; shrinking is off so a
 * failure is reported at once with its seed (jqwik prints it) rather than minimised at length.
 *
 * <p>The strict shapes of CONTRACT §2 (lone surrogates, duplicate keys, wrong JSON types, control
 * characters, huge repeats) are generated on their own, each with the exact answer it must get and
 * nothing stored (150 cases in the suite). On demand, {@code -Dfuzz.cases=10000} runs that many
 * cases of all three kinds as a benchmark and prints the count, the time and the statuses seen:
 * <pre>mvn -B -ntp verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=AppointmentFuzzIT -Dfailsafe.failIfNoSpecifiedTests=false -Dfuzz.cases=10000</pre>
 */
class AppointmentFuzzIT {

    private static final String SPINE_SYSTEM = "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1";
    private static final List<String> INTERESTING = List.of("null", "true", "-1", "0", "1e999", "\"\"", "{}", "[]",
            "\"\\u0000\"", "\"2030-13-45T25:61:00Z\"", "\"booked\"", "\"cancelled\"", "9999999999", "\"9434765919\"",
            "<![CDATA[x]]>", "&amp;", "&#0;", "&#x1F600;", "<!DOCTYPE a>", "<!ENTITY e \"x\">", "<!--", "-->", "\"resourceType\"",
            "\"Patient\"", "<Patient>", "</Appointment>", "\"id\":\"x\"", "\"contained\":[{}]", "xmlns=\"urn:x\"", "\\",
            "\\u", "\"\\ud800\"", "\u202e", "\ufeff", "é", "😀", "'; DROP TABLE appointment;--", "../../", "%00");
    private static final String STRUCTURE = "{}[]\":,<>/=&;!?'\\ \n\t0123456789abcxyzABC-.éß😀\u0000\u007f";

    private final RunningRegistry registry = SharedRegistry.get();
    // jqwik's statistics exist only inside a property; the benchmark run is a plain JUnit test.
    private boolean collectStatistics = true;

    @Property(tries = 1500, shrinking = ShrinkingMode.OFF)
    void mutatedJsonIsAnsweredSafely(@ForAll("json") byte[] body) {
        check(body, "application/fhir+json");
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
    void mutatedXmlIsAnsweredSafely(@ForAll("xml") byte[] body) {
        check(body, "application/fhir+xml");
    }

    @Property(tries = 150, shrinking = ShrinkingMode.OFF)
    void strictShapesGetExactlyTheirAnswer(@ForAll("strictShapes") StrictCase strict) {
        checkStrict(strict);
    }

    /**
     * The benchmark run: {@code fuzz.cases} cases (strict shapes, mutated JSON and mutated XML in
     * turn), one after another through the real route, then the figures. Not in the suite.
     */
    @Test
    @EnabledIfSystemProperty(named = "fuzz.cases", matches = "\\d+")
    void benchmarkRun() {
        int cases = Integer.getInteger("fuzz.cases");
        collectStatistics = false;
        java.util.Iterator<StrictCase> strict = strictShapes().sampleStream().iterator();
        java.util.Iterator<byte[]> json = json().sampleStream().iterator();
        java.util.Iterator<byte[]> xml = xml().sampleStream().iterator();
        java.util.Map<String, Integer> statuses = new java.util.TreeMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < cases; i++) {
            int status = switch (i % 5) {
                case 0, 1 -> checkStrict(strict.next());
                case 2, 3 -> check(json.next(), "application/fhir+json");
                default -> check(xml.next(), "application/fhir+xml");
            };
            statuses.merge((i % 5 < 2 ? "strict " : i % 5 < 4 ? "json " : "xml ") + status, 1, Integer::sum);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("Fuzz benchmark: %d cases in %.1f s (%.1f ms per case); statuses %s%n", cases, seconds,
                seconds * 1000 / cases, statuses);
    }

    @Provide
    Arbitrary<StrictCase> strictShapes() {
        Arbitrary<Integer> patient = Arbitraries.integers().between(0, 500);
        Arbitrary<String> surrogate = Arbitraries.oneOf(
                Arbitraries.integers().between(0xD800, 0xDFFF).map(c -> String.format("\\u%04x", c)),
                Arbitraries.of("\\udc00\\ud800", "\\ud83d", "\\ude00x"));
        Arbitrary<StrictCase> loneSurrogate = Combinators.combine(patient, surrogate).as((n, escape) -> {
            String marker = HostileBodies.marker();
            return new StrictCase("lone surrogate " + escape, marker, HostileBodies.identifierEndingIn(marker, 1000 + n, escape), 400);
        });
        // The three UTF-8 bytes of a surrogate code point (CESU-8): not UTF-8 at all.
        Arbitrary<StrictCase> encodedSurrogate = patient.map(n -> {
            String marker = HostileBodies.marker();
            byte[] json = utf8(HostileBodies.identifierEndingIn(marker, 1000 + n, "@"));
            int at = new String(json, StandardCharsets.UTF_8).indexOf(marker + "@") + marker.length();
            byte[] body = spliceAt(json, at, new byte[] {(byte) 0xED, (byte) 0xA0});
            body[at + 2] = (byte) 0x80; // in place of the '@'
            return new StrictCase("encoded surrogate (utf-8)", marker, body, 400);
        });
        Arbitrary<StrictCase> duplicateKey = Combinators.combine(patient, Arbitraries.of("status", "start", "end", "created",
                "resourceType", "identifier"), Arbitraries.of(true, false)).as((n, key, first) -> {
                    String marker = HostileBodies.marker();
                    String json = HostileBodies.json(marker, 1000 + n);
                    Matcher property = Pattern.compile("\"" + key + "\":(\"[^\"]*\"|\\[[^\\]]*\\])").matcher(json);
                    property.find();
                    String copy = property.group();
                    String twice = first ? copy + "," + copy : copy + "," + copy.replace(":", ": ");
                    return new StrictCase("duplicate " + key, marker, json.substring(0, property.start()) + twice
                            + json.substring(property.end()), 400);
                });
        Arbitrary<StrictCase> wrongType = Combinators.combine(patient, Arbitraries.of("status", "start", "created", "comment",
                "value", "system"), Arbitraries.of("[%s]", "9434765919", "true", "{\"value\":%s}", "null", "[]", "1.5"))
                .as((n, key, shape) -> {
                    String marker = HostileBodies.marker();
                    Appointment appointment = HostileBodies.appointment(marker, 1000 + n);
                    appointment.setComment("a comment");
                    String json = TestAppointments.json(appointment);
                    Matcher property = Pattern.compile("\"" + key + "\":(\"[^\"]*\")").matcher(json);
                    property.find();
                    String value = shape.contains("%s") ? shape.formatted(property.group(1)) : shape;
                    return new StrictCase(key + " as " + shape, marker, json.substring(0, property.start(1)) + value
                            + json.substring(property.end(1)), 400);
                });
        Arbitrary<Character> control = Arbitraries.chars().range('\u0000', '\u001f').filter(c -> c != '\t' && c != '\n' && c != '\r');
        Arbitrary<StrictCase> escapedControl = Combinators.combine(patient, control).as((n, c) -> {
            String marker = HostileBodies.marker();
            return new StrictCase("escaped control " + (int) c, marker, HostileBodies.controlCharacterInIdentifier(marker, 1000 + n, c), 422);
        });
        // A raw control character inside a JSON string is not JSON at all.
        Arbitrary<StrictCase> rawControl = Combinators.combine(patient, control).as((n, c) -> {
            String marker = HostileBodies.marker();
            return new StrictCase("raw control " + (int) c, marker, HostileBodies.identifierEndingIn(marker, 1000 + n, String.valueOf(c)), 400);
        });
        Arbitrary<StrictCase> manyParticipants = Combinators.combine(patient, Arbitraries.integers().between(100, 30_000)
                .withDistribution(net.jqwik.api.RandomDistribution.biased())).as((n, extra) -> {
            String marker = HostileBodies.marker();
            return new StrictCase("more participants " + extra, marker, HostileBodies.participants(marker, 1000 + n, extra), 422);
        });
        Arbitrary<StrictCase> manyIdentifiers = Combinators.combine(patient, Arbitraries.integers().between(101, 12_000)
                .withDistribution(net.jqwik.api.RandomDistribution.biased())).as((n, count) -> {
            String marker = HostileBodies.marker();
            String json = HostileBodies.json(marker, 1000 + n);
            String identifier = "{\"system\":\"urn:ietf:rfc:3986\",\"value\":\"" + marker + "\"}";
            String more = (",{\"system\":\"urn:x\",\"value\":\"" + marker + "-n\"}").repeat(count - 1);
            return new StrictCase("identifiers " + count, marker, json.replace(identifier, identifier + more), 422);
        });
        return Arbitraries.oneOf(loneSurrogate, encodedSurrogate, duplicateKey, wrongType, escapedControl, rawControl,
                manyParticipants, manyIdentifiers);
    }

    /** A body built to break one rule of CONTRACT §2, and the one status it must be answered with. */
    record StrictCase(String shape, String marker, byte[] body, int status) {

        StrictCase(String shape, String marker, String body, int status) {
            this(shape, marker, utf8(body), status);
        }

        @Override
        public String toString() {
            return shape;
        }
    }

    private int checkStrict(StrictCase strict) {
        int status = check(strict.body(), "application/fhir+json");
        if (collectStatistics) {
            Statistics.label("strict").collect(strict.shape().split("[\\\\0-9\\[{]")[0].trim(), status);
        }
        assertThat(status).as("%s: %s", strict.shape(), preview(strict.body())).isEqualTo(strict.status());
        assertThat(AuditRows.appointmentsWithIdentifier(registry, strict.marker())).isZero();
        assertThat(AuditRows.appointmentsWithIdentifier(registry, strict.marker() + "?")).isZero();
        return status;
    }

    @Provide
    Arbitrary<byte[]> json() {
        return mutated(appointments().map(TestAppointments::json));
    }

    @Provide
    Arbitrary<byte[]> xml() {
        return mutated(appointments().map(TestAppointments::xml));
    }

    private int check(byte[] body, String contentType) {
        HttpResponse<String> response = registry.send(registry.authorised("/Appointment")
                .timeout(Duration.ofSeconds(15)).header("Content-Type", contentType)
                .POST(BodyPublishers.ofByteArray(body)).build());
        int status = response.statusCode();
        if (collectStatistics) {
            Statistics.label("status").collect(status);
        }
        assertThat(status).as("status for body %s", preview(body)).isLessThan(500);
        boolean xml = response.headers().firstValue("Content-Type").orElse("").contains("xml");
        var parser = xml ? Fhir.context().newXmlParser() : Fhir.context().newJsonParser();
        if (status == 201) {
            Appointment stored = parser.parseResource(Appointment.class, response.body());
            assertThat(stored.getIdElement().getIdPart()).isNotBlank();
            assertThat(AuditRows.query(registry, "SELECT id FROM appointment WHERE id = ?", stored.getIdElement().getIdPart()))
                    .hasSize(1);
        } else {
            assertThat(status).as("status for body %s", preview(body)).isBetween(400, 499);
            OperationOutcome outcome = parser.parseResource(OperationOutcome.class, response.body());
            assertThat(outcome.getIssue()).isNotEmpty().allSatisfy(issue -> {
                assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
                assertThat(issue.getDetails().getCodingFirstRep().getSystem()).isEqualTo(SPINE_SYSTEM);
            });
            assertThat(outcome.getIssue()).hasSizeLessThanOrEqualTo(100);
        }
        return status;
    }

    /** Valid appointments with varied content (fresh identifiers, so an unmutated one registers). */
    private static Arbitrary<Appointment> appointments() {
        return Combinators.combine(Arbitraries.integers().between(0, 500), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20),
                Arbitraries.integers().between(1, 400)).as((n, value, days) -> {
                    Appointment appointment = TestAppointments.booked(TestNhsNumbers.valid(1000 + n), "urn:fuzz:" + value + ":"
                            + java.util.UUID.randomUUID(), Instant.now().plus(days, ChronoUnit.DAYS));
                    if (n % 3 == 0) {
                        appointment.setComment("Comment " + value);
                    }
                    return appointment;
                });
    }

    private static Arbitrary<byte[]> mutated(Arbitrary<String> documents) {
        Arbitrary<List<UnaryOperator<byte[]>>> mutations = mutation().list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(documents, mutations).as((document, steps) -> {
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            for (UnaryOperator<byte[]> step : steps) {
                bytes = step.apply(bytes);
            }
            return bytes;
        });
    }

    /** One mutation; positions and lengths are fractions of whatever the document is by then. */
    private static Arbitrary<UnaryOperator<byte[]>> mutation() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 40);
        Arbitrary<UnaryOperator<byte[]>> delete = Combinators.combine(at, length).as((p, n) -> b -> splice(b, p, n, new byte[0]));
        Arbitrary<UnaryOperator<byte[]>> insertChars = Combinators.combine(at,
                Arbitraries.strings().withChars(STRUCTURE).ofMinLength(1).ofMaxLength(12))
                .as((p, s) -> b -> splice(b, p, 0, utf8(s)));
        Arbitrary<UnaryOperator<byte[]>> replaceWithToken = Combinators.combine(at, length, Arbitraries.of(INTERESTING))
                .as((p, n, token) -> b -> splice(b, p, n % 12, utf8(token)));
        Arbitrary<UnaryOperator<byte[]>> duplicate = Combinators.combine(at, at, Arbitraries.integers().between(1, 200))
                .as((from, to, n) -> b -> {
                    int start = index(b, from);
                    byte[] piece = java.util.Arrays.copyOfRange(b, start, Math.min(b.length, start + n));
                    return splice(b, to, 0, piece);
                });
        Arbitrary<UnaryOperator<byte[]>> flipByte = Combinators.combine(at, Arbitraries.bytes())
                .as((p, value) -> b -> {
                    byte[] copy = b.clone();
                    if (copy.length > 0) {
                        copy[Math.min(copy.length - 1, index(copy, p))] = value;
                    }
                    return copy;
                });
        Arbitrary<UnaryOperator<byte[]>> truncate = at.map(p -> b -> java.util.Arrays.copyOf(b, index(b, p)));
        Arbitrary<UnaryOperator<byte[]>> nest = Combinators.combine(at, Arbitraries.integers().between(10, 3000),
                Arbitraries.of("[", "{\"a\":", "<a>", "<extension url=\"x\">")).as((p, depth, open) -> b -> splice(b, p, 0,
                        utf8(open.repeat(depth))));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, delete), net.jqwik.api.Tuple.of(3, insertChars), net.jqwik.api.Tuple.of(4, replaceWithToken),
                net.jqwik.api.Tuple.of(2, duplicate), net.jqwik.api.Tuple.of(2, flipByte), net.jqwik.api.Tuple.of(1, truncate),
                net.jqwik.api.Tuple.of(1, nest));
    }

    private static byte[] spliceAt(byte[] bytes, int start, byte[] insert) {
        byte[] result = new byte[bytes.length + insert.length];
        System.arraycopy(bytes, 0, result, 0, start);
        System.arraycopy(insert, 0, result, start, insert.length);
        System.arraycopy(bytes, start, result, start + insert.length, bytes.length - start);
        return result;
    }

    private static byte[] splice(byte[] bytes, double at, int remove, byte[] insert) {
        int start = index(bytes, at);
        int end = Math.min(bytes.length, start + remove);
        byte[] result = new byte[bytes.length - (end - start) + insert.length];
        System.arraycopy(bytes, 0, result, 0, start);
        System.arraycopy(insert, 0, result, start, insert.length);
        System.arraycopy(bytes, end, result, start + insert.length, bytes.length - end);
        return result;
    }

    private static int index(byte[] bytes, double at) {
        return (int) Math.min(bytes.length, Math.floor(at * (bytes.length + 1)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String preview(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    }
}
