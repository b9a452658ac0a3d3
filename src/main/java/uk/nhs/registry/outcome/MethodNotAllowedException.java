package uk.nhs.registry.outcome;

import java.util.List;
import org.hl7.fhir.dstu3.model.OperationOutcome.IssueType;

/** 405: the path exists but not for this HTTP method; {@link #allow()} is what it serves (the Allow header). */
public class MethodNotAllowedException extends RegistryException {

    private final String allow;

    public MethodNotAllowedException(String allow, IssueType type, SpineCode spineCode, String diagnostics) {
        super(405, type, spineCode, diagnostics);
        this.allow = allow;
    }

    /** The methods the path serves, as an Allow header value; null when not known. */
    public String allow() {
        return allow;
    }

    public MethodNotAllowedException(IssueType type, SpineCode spineCode, String diagnostics) {
        this(null, type, spineCode, diagnostics);
    }

    public MethodNotAllowedException(List<Issue> issues) {
        super(405, issues);
        this.allow = null;
    }
}
