package org.taylorism;

/** The run was aborted. The report, with every entry that ended before the abort, comes with it. */
public class RunFailedException extends TaylorismException {

    private final transient Report report;

    public RunFailedException(String message, Report report) {
        super(message);
        this.report = report;
    }

    /** The final report: every worker that ended, the instruction sets never started, and the cause. */
    public Report report() {
        return report;
    }
}
