package org.taylorism.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taylorism.ErrorInfo;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;

/** What a verbose Boss logs of an ended worker: its error, or its result as JSON, cut at the Boss's bound. */
class EndingsTest {

    private static WorkerReport ended(Object result, ErrorInfo error) {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        return new WorkerReport("a", "Echo", error == null ? WorkerStatus.SUCCEEDED : WorkerStatus.FAILED, null, Map.of(), result,
                error, 0, null, 0, null, null, now, now, 0, null, null, null, null, 1, null, null);
    }

    @Test
    void aResultIsLoggedAsJsonAndCutAtTheBound() {
        assertEquals("{\"n\":[1,2]}", Endings.summary(ended(Map.of("n", List.of(1, 2)), null), 100));
        assertEquals("\"a ra...", Endings.summary(ended("a rather long result", null), 5));
        assertEquals("\"abc\"", Endings.summary(ended("abc", null), 5), "exactly at the bound: not cut");
    }

    @Test
    void anErrorIsLoggedOnOneLine() {
        ErrorInfo error = new ErrorInfo("java.lang.IllegalStateException", "broken", null);
        assertEquals(error.oneLine(), Endings.summary(ended(null, error), 1000));
    }
}
