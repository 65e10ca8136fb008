package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.spi.PriorRun;
import org.taylorism.spi.PriorSet;

/** What retry-failed submits again of the run it retries. */
class RetryFailedCommandTest {

    @Test
    void onlyTheSetsOfTheBatchAreSubmittedAgainNotTheSubTasksTheirParentsSubmit() {
        Map<String, PriorSet> sets = new LinkedHashMap<>();
        sets.put("k1", set("k1", 1, "parent", Map.of("name", "parent", "command", List.of("true")), null));
        sets.put("k2", set("k2", 2, "parent/child", Map.of("name", "parent/child", "command", List.of("false")), "parent"));
        sets.put("k3", set("k3", 3, "alone", Map.of("name", "alone", "command", List.of("false")), null));

        assertEquals(List.of(Map.of("name", "parent", "command", List.of("true")), Map.of("name", "alone", "command", List.of("false"))),
                RetryFailedCommand.submittedAgain(new PriorRun("run-1", Path.of("/runs/run-1"), sets)));
    }

    @Test
    void aFailedSubTaskWhoseParentSucceededIsNamedItDoesNotRunAgain() {
        Map<String, PriorSet> sets = new LinkedHashMap<>();
        sets.put("k1", ended(set("k1", 1, "ok", Map.of(), null), WorkerStatus.SUCCEEDED));
        sets.put("k2", ended(set("k2", 2, "ok/bad", Map.of(), "ok"), WorkerStatus.FAILED));
        sets.put("k3", ended(set("k3", 3, "ok/good", Map.of(), "ok"), WorkerStatus.SUCCEEDED));
        sets.put("k4", ended(set("k4", 4, "broke", Map.of(), null), WorkerStatus.FAILED));
        sets.put("k5", ended(set("k5", 5, "broke/bad", Map.of(), "broke"), WorkerStatus.FAILED));

        assertEquals(List.of("ok/bad"), RetryFailedCommand.failedUnderParentsThatSucceeded(new PriorRun("run-1", Path.of("/runs/run-1"), sets)),
                "broke/bad runs again with broke");
    }

    private static PriorSet set(String key, long taskId, String name, Map<String, Object> instructions, String parent) {
        return new PriorSet(key, taskId, name, "command", instructions, null, 1, Instant.EPOCH, parent);
    }

    private static PriorSet ended(PriorSet set, WorkerStatus status) {
        WorkerReport report = new WorkerReport(set.name(), "command", status, null, set.instructions(), null, null, 0, null, 1, null,
                null, Instant.EPOCH, Instant.EPOCH, 0, null, null, null, null, 1, null);
        return new PriorSet(set.key(), set.taskId(), set.name(), set.worker(), set.instructions(), report, 1, Instant.EPOCH,
                set.parent());
    }
}
