package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.CodeableConcept;
import org.hl7.fhir.dstu3.model.Coding;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.dstu3.model.StringType;

/**
 * Builds the OperationOutcome resource that every rejection carries. It lists at most
 * {@code registry.outcome.max-issues} issues (default {@value #DEFAULT_MAX_ISSUES}), the last of
 * them saying how many were left out: a body with 30,000 faults would otherwise be answered with
 * megabytes, and the first hundred say what to fix as well as all of them.
 */
public final class OperationOutcomes {

    public static final int DEFAULT_MAX_ISSUES = 100;

    // Process-wide: a limit on answers, set once from configuration before the routes start.
    private static volatile int maxIssues = DEFAULT_MAX_ISSUES;

    private OperationOutcomes() {
    }

    /** Sets registry.outcome.max-issues; at least 2 (one issue and the note of what was left out). */
    public static void limitIssues(int max) {
        if (max < 2) {
            throw new IllegalArgumentException("registry.outcome.max-issues must be at least 2; got " + max);
        }
        maxIssues = max;
    }

    /**
     * At most registry.outcome.max-issues of them: past that the first max - 1, and a last issue
     * saying how many were left out. Every flavour's OperationOutcome is built from this list.
     */
    static List<Issue> capped(List<Issue> all) {
        int max = maxIssues;
        if (all.size() <= max) {
            return all;
        }
        List<Issue> issues = new java.util.ArrayList<>(all.subList(0, max - 1));
        issues.add(new Issue(OperationOutcome.IssueType.INFORMATIONAL, all.get(max - 1).spineCode(),
                (all.size() - (max - 1)) + " more issues were left out; the first " + (max - 1) + " are listed."));
        return issues;
    }

    public static OperationOutcome of(List<Issue> all) {
        List<Issue> issues = capped(all);
        OperationOutcome outcome = new OperationOutcome();
        outcome.getMeta().addProfile("https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1");
        for (Issue issue : issues) {
            OperationOutcome.OperationOutcomeIssueComponent component = outcome.addIssue()
                    .setSeverity(IssueSeverity.ERROR)
                    .setCode(issue.type())
                    .setDetails(new CodeableConcept().addCoding(new Coding(
                            SpineCode.SYSTEM, issue.spineCode().code(), issue.spineCode().display())))
                    .setDiagnostics(issue.diagnostics());
            if (issue.expression() != null) {
                component.addExpression(issue.expression());
                component.getLocation().add(new StringType(issue.expression()));
            }
        }
        return outcome;
    }
}
