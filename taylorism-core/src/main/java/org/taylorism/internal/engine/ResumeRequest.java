package org.taylorism.internal.engine;

import java.util.Objects;
import org.taylorism.ResumePolicy;

/**
 * A Boss's wish to resume an earlier run of its store.
 *
 * @param runId the run to resume (its id or a prefix only it has), or null for the latest run recorded with the
 *     same source
 * @param policy what to do with each of its sets
 */
public record ResumeRequest(String runId, ResumePolicy policy) {

    public ResumeRequest {
        Objects.requireNonNull(policy, "policy");
    }
}
