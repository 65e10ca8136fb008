package org.taylorism.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.Task;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;
import org.taylorism.WorkerType;
import org.taylorism.testing.TestWorkers;

/** A batch's report when the Boss let go of some of its sets' reports: read from history, or counted. */
class BatchBookTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    private static Task task(long id, String name) {
        return new Task(id, name, WorkerType.of(TestWorkers.Echo.class), Map.of(), Map.of(), null, 1);
    }

    private static WorkerReport ended(String name, WorkerStatus status) {
        return new WorkerReport(name, "Echo", status, status == WorkerStatus.SUCCEEDED ? null : "failed", Map.of(), name, null,
                null, null, 0, null, null, NOW, NOW, 0, null, null, null, null, 1, null, null);
    }

    @Test
    void setsTheBossLetGoOfAreReadFromHistoryOrCountedWhenThereIsNone() {
        BatchBook book = new BatchBook();
        BatchBook.Batch batch = book.book(List.of(task(1, "a"), task(2, "b"), task(3, "c")), NOW);
        book.ended("a", WorkerStatus.SUCCEEDED);
        book.ended("b", WorkerStatus.FAILED);
        book.ended("c", WorkerStatus.SUCCEEDED);
        assertTrue(batch.done().isDone());
        // The Boss holds c only: a and b were let go of.
        Report whole = Report.of(RunStatus.INTERIM, List.of(ended("c", WorkerStatus.SUCCEEDED)), List.of(), List.of(), null, null,
                null, "run-1", Map.of(WorkerStatus.SUCCEEDED, 1, WorkerStatus.FAILED, 1));

        Report counted = book.reportOf(batch, whole, BatchBook.History.NONE);
        assertEquals(RunStatus.FINISHED, counted.status());
        assertEquals(List.of("c"), counted.workers().stream().map(WorkerReport::name).toList());
        assertEquals(2, counted.notHeld());
        assertEquals(2, counted.counts().get("succeeded"));
        assertEquals(1, counted.counts().get("failed"));

        Report read = book.reportOf(batch, whole, names -> Map.of("a", ended("a", WorkerStatus.SUCCEEDED),
                "b", ended("b", WorkerStatus.FAILED)));
        assertEquals(List.of("a", "b", "c"), read.workers().stream().map(WorkerReport::name).sorted().toList());
        assertEquals(null, read.notHeld());
        assertEquals(1, read.counts().get("failed"));
    }
}
