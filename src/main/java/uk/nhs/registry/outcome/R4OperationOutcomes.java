package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.StringType;

/**
 * The R4 OperationOutcome of a rejection, for the medTech flavour (CONTRACT §7): the same issues
 * as {@link OperationOutcomes}, with FHIR issue codes and a diagnostics text, but neither the NHS
 * GP Connect profile nor the Spine code system, which are NHS-only.
 */
public final class R4OperationOutcomes {

    private R4OperationOutcomes() {
    }

    public static OperationOutcome of(List<Issue> issues) {
        OperationOutcome outcome = new OperationOutcome();
        for (Issue issue : OperationOutcomes.capped(issues)) {
            OperationOutcome.OperationOutcomeIssueComponent component = outcome.addIssue()
                    .setSeverity(IssueSeverity.ERROR)
                    .setCode(IssueType.fromCode(issue.type().toCode()))
                    .setDiagnostics(issue.diagnostics());
            if (issue.expression() != null) {
                component.addExpression(issue.expression());
                component.getLocation().add(new StringType(issue.expression()));
            }
        }
        return outcome;
    }
}
