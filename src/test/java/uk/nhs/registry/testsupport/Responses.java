package uk.nhs.registry.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;
import uk.nhs.registry.Fhir;

/** Reads response bodies the way a FHIR client would. */
public final class Responses {

    public static final String SPINE_SYSTEM = "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1";

    private Responses() {
    }

    /**
     * Asserts the response carries a request id the registry assigned itself: a time-ordered UUID
     * (version 7), as RequestIds.assign() makes them, whether the routes or Jetty answered.
     */
    public static void assertAssignedRequestId(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(UUID.fromString(id).version()).isEqualTo(7));
    }

    public static <T extends IBaseResource> T resource(HttpResponse<String> response, Class<T> type) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        var parser = contentType.contains("xml") ? Fhir.context().newXmlParser() : Fhir.context().newJsonParser();
        return parser.parseResource(type, response.body());
    }

    /**
     * Asserts the response is an error with this status whose OperationOutcome carries the issue
     * type and Spine code on its first issue, and returns the outcome for further checks.
     */
    public static OperationOutcome assertOutcome(HttpResponse<String> response, int status, String issueType, String spineCode) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).containsIgnoringCase("charset=utf-8"));
        OperationOutcome outcome = resource(response, OperationOutcome.class);
        assertThat(outcome.getIssue()).isNotEmpty();
        OperationOutcome.OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
        assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(issue.getCode().toCode()).isEqualTo(issueType);
        assertThat(issue.getDetails().getCodingFirstRep().getSystem()).isEqualTo(SPINE_SYSTEM);
        assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(spineCode);
        assertThat(issue.getDetails().getCodingFirstRep().getDisplay()).isNotBlank();
        assertThat(issue.getDiagnostics()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at uk.nhs").doesNotContain("SQL");
        return outcome;
    }

    /** All issues' Spine codes, for a 422 that lists several findings. */
    public static java.util.List<String> spineCodes(OperationOutcome outcome) {
        return outcome.getIssue().stream().map(i -> i.getDetails().getCodingFirstRep().getCode()).toList();
    }
}
