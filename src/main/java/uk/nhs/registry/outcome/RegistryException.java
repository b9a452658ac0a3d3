package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/**
 * A request the registry refuses, carrying its HTTP status and the issues of the OperationOutcome
 * that explains it. One subclass per status, after HAPI FHIR's server exceptions; the single
 * mapping to a response lives in {@link OperationOutcomeResponder}.
 */
public abstract class RegistryException extends RuntimeException {

    private final int status;
    private final transient List<Issue> issues;

    protected RegistryException(int status, List<Issue> issues) {
        super(issues.isEmpty() ? "HTTP " + status : issues.get(0).diagnostics(), null, false, false);
        if (issues.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs at least one issue");
        }
        this.status = status;
        this.issues = List.copyOf(issues);
    }

    protected RegistryException(int status, IssueType type, SpineCode spineCode, String diagnostics) {
        this(status, List.of(new Issue(type, spineCode, diagnostics)));
    }

    public int status() {
        return status;
    }

    public List<Issue> issues() {
        return issues;
    }

    /** The Spine code of the first issue: what metrics and audit rows record. */
    public SpineCode spineCode() {
        return issues.get(0).spineCode();
    }
}
