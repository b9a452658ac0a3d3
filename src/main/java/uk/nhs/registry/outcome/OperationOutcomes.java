package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.CodeableConcept;
import org.hl7.fhir.dstu3.model.Coding;
import org.hl7.fhir.dstu3.model.OperationOutcome;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.dstu3.model.StringType;

/** Builds the OperationOutcome resource that every rejection carries. */
public final class OperationOutcomes {

    private OperationOutcomes() {
    }

    public static OperationOutcome of(List<Issue> issues) {
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
