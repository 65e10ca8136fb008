package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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

    private static PriorSet set(String key, long taskId, String name, Map<String, Object> instructions, String parent) {
        return new PriorSet(key, taskId, name, "command", instructions, null, 1, Instant.EPOCH, parent);
    }
}
