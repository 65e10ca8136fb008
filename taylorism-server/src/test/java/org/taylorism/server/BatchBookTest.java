package org.taylorism.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.RunningReport;
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

    private static PendingTask pending(String name) {
        return new PendingTask(name, "Echo", Map.of(), "waits for a slot");
    }

    private static RunningReport running(String name) {
        return new RunningReport(name, "Echo", 0, 1, NOW, List.of(), null, null, false);
    }

    @Test
    void theListOfBatchesCountsWhatEachBatchsReportCounts() {
        BatchBook book = new BatchBook();
        BatchBook.Batch ended = book.book(List.of(task(1, "a"), task(2, "b")), NOW);
        BatchBook.Batch busy = book.book(List.of(task(3, "c"), task(4, "d"), task(5, "e"), task(6, "f")), NOW);
        BatchBook.Batch waiting = book.book(List.of(task(7, "g")), NOW);
        book.ended("a", WorkerStatus.SUCCEEDED);
        book.ended("b", WorkerStatus.FAILED);
        book.ended("c", WorkerStatus.SUCCEEDED);
        // The Boss holds b and c; it let go of a.
        Report whole = Report.of(RunStatus.INTERIM, List.of(ended("b", WorkerStatus.FAILED), ended("c", WorkerStatus.SUCCEEDED)),
                List.of(pending("d"), pending("g")), List.of(running("e"), running("f")), null, null, null, "run-1",
                Map.of(WorkerStatus.SUCCEEDED, 1));

        List<BatchBook.Summary> summaries = book.summaries(whole);
        assertEquals(List.of(ended, busy, waiting), summaries.stream().map(BatchBook.Summary::batch).toList());
        for (BatchBook.Summary summary : summaries) {
            Report report = book.reportOf(summary.batch(), whole, BatchBook.History.NONE);
            assertEquals(report.status(), summary.status(), summary.batch().id());
            assertEquals(report.counts(), summary.counts(), summary.batch().id());
            assertEquals(List.copyOf(report.counts().keySet()), List.copyOf(summary.counts().keySet()), "in the same order");
        }
        assertEquals(RunStatus.FINISHED, summaries.get(0).status());
        assertEquals(RunStatus.INTERIM, summaries.get(1).status());
        assertEquals(Map.of("succeeded", 1, "pending", 1, "running", 2), nonZero(summaries.get(1).counts()));
        assertEquals(Map.of("pending", 1), nonZero(summaries.get(2).counts()));
    }

    @Test
    void aNameUnendedInTwoBatchesEndsInEachNoBatchWaitsForEver() {
        BatchBook book = new BatchBook();
        // Names made by [#] in two submissions: the clash check cannot see them, the Boss takes both.
        BatchBook.Batch first = book.book(List.of(task(1, "job_1"), task(2, "x")), NOW);
        BatchBook.Batch second = book.book(List.of(task(3, "job_1")), NOW);
        Report bothLive = Report.of(RunStatus.INTERIM, List.of(), List.of(pending("job_1")), List.of(running("job_1"), running("x")),
                null, null, null, "run-1", Map.of());
        List<BatchBook.Summary> summaries = book.summaries(bothLive);
        assertEquals(Map.of("running", 2), nonZero(summaries.get(0).counts()), "the first batch's, running first");
        assertEquals(Map.of("pending", 1), nonZero(summaries.get(1).counts()));
        for (BatchBook.Summary summary : summaries) {
            Report report = book.reportOf(summary.batch(), bothLive, BatchBook.History.NONE);
            assertEquals(report.counts(), summary.counts(), summary.batch().id());
            assertEquals(RunStatus.INTERIM, summary.status());
        }

        book.ended("job_1", WorkerStatus.SUCCEEDED);
        book.ended("x", WorkerStatus.SUCCEEDED);
        assertTrue(first.done().isDone());
        assertFalse(second.done().isDone());
        book.ended("job_1", WorkerStatus.FAILED);
        assertTrue(second.done().isDone(), "the second end of the name is the second batch's");
        Report over = Report.of(RunStatus.INTERIM, List.of(), List.of(), List.of(), null, null, null, "run-1",
                Map.of(WorkerStatus.SUCCEEDED, 2, WorkerStatus.FAILED, 1));
        List<BatchBook.Summary> ended = book.summaries(over);
        assertEquals(Map.of("succeeded", 2), nonZero(ended.get(0).counts()));
        assertEquals(Map.of("failed", 1), nonZero(ended.get(1).counts()));
        assertEquals(List.of(RunStatus.FINISHED, RunStatus.FINISHED), ended.stream().map(BatchBook.Summary::status).toList());
    }

    @Test
    void aBatchBookedAfterTheReportWasMadeIsNotFinishedInIt() {
        BatchBook book = new BatchBook();
        book.ended("quick", WorkerStatus.SUCCEEDED); // ended before its batch was booked
        BatchBook.Batch quick = book.book(List.of(task(1, "quick")), NOW);
        Report before = Report.of(RunStatus.INTERIM, List.of(), List.of(), List.of(), null, null, null, "run-1", Map.of());
        BatchBook.Batch late = book.book(List.of(task(2, "late")), NOW);
        List<BatchBook.Summary> summaries = book.summaries(before);
        assertEquals(List.of(quick, late), summaries.stream().map(BatchBook.Summary::batch).toList());
        assertEquals(RunStatus.FINISHED, summaries.get(0).status());
        assertEquals(Map.of("succeeded", 1), nonZero(summaries.get(0).counts()));
        assertEquals(RunStatus.INTERIM, summaries.get(1).status(), "its set is yet to end, though the report does not list it");
        assertEquals(RunStatus.INTERIM, book.reportOf(late, before, BatchBook.History.NONE).status());
        assertEquals(RunStatus.FINISHED, book.reportOf(quick, before, BatchBook.History.NONE).status());
    }

    private static Map<String, Integer> nonZero(Map<String, Integer> counts) {
        Map<String, Integer> nonZero = new java.util.HashMap<>(counts);
        nonZero.values().removeIf(count -> count == 0);
        return nonZero;
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

    @Test
    void theOldestEndedBatchesPastTheBoundAreCountedNotListedAndTheirNamesStayTaken() {
        BatchBook book = new BatchBook(3, 10);
        BatchBook.Batch first = book.book(List.of(task(1, "a"), task(2, "b")), NOW);
        BatchBook.Batch second = book.book(List.of(task(3, "c"), task(4, "d")), NOW);
        BatchBook.Batch live = book.book(List.of(task(5, "e"), task(6, "f"), task(7, "g"), task(8, "h")), NOW);
        book.ended("a", WorkerStatus.SUCCEEDED);
        book.ended("b", WorkerStatus.FAILED);
        book.ended("e", WorkerStatus.SUCCEEDED);
        book.ended("f", WorkerStatus.SUCCEEDED);
        book.ended("g", WorkerStatus.SUCCEEDED);
        assertFalse(book.batch(first.id()).orElseThrow().forgotten(), "2 sets of ended batches: within the bound");
        assertFalse(book.batch(live.id()).orElseThrow().forgotten());

        book.ended("c", WorkerStatus.SUCCEEDED);
        book.ended("d", WorkerStatus.SUCCEEDED);
        BatchBook.Batch forgotten = book.batch(first.id()).orElseThrow();
        assertTrue(forgotten.forgotten(), "4 sets of ended batches: the oldest is forgotten");
        assertEquals(List.of(), forgotten.names());
        assertEquals(2, forgotten.size());
        assertFalse(book.batch(second.id()).orElseThrow().forgotten(), "the latest ended batch is kept whole");

        Report whole = Report.of(RunStatus.INTERIM, List.of(ended("b", WorkerStatus.FAILED), ended("d", WorkerStatus.SUCCEEDED)),
                List.of(), List.of(running("h")), null, null, null, "run-1", Map.of(WorkerStatus.SUCCEEDED, 5));
        Report report = book.reportOf(forgotten, whole, names -> {
            throw new AssertionError("no set of a forgotten batch is looked for: " + names);
        });
        assertEquals(RunStatus.FINISHED, report.status());
        assertEquals(List.of(), report.workers(), "b, which the Boss holds, is not listed: the batch no longer knows its names");
        assertEquals(2, report.notHeld());
        assertEquals(1, report.counts().get("succeeded"));
        assertEquals(1, report.counts().get("failed"));
        List<BatchBook.Summary> summaries = book.summaries(whole);
        assertEquals(Map.of("succeeded", 1, "failed", 1), nonZero(summaries.get(0).counts()));
        assertEquals(2, summaries.get(0).batch().size());

        assertEquals(List.of("a", "b", "c", "e"), book.clashes(List.of("a", "b", "c", "e", "new")), "forgotten names stay taken");
        Report whole2 = book.reportOf(forgotten.withNames(List.of("a", "b")), whole, names -> Map.of("a", ended("a", WorkerStatus.SUCCEEDED)));
        assertEquals(List.of("a", "b"), whole2.workers().stream().map(WorkerReport::name).sorted().toList(),
                "whole again with the names a parent kept of its sub-tasks");
        assertEquals(null, whole2.notHeld());
        assertFalse(book.gone(first.id()));
    }

    @Test
    void pastTheBoundOfForgottenBatchesTheOldestAreGoneWhole() {
        BatchBook book = new BatchBook(1, 2);
        for (int i = 1; i <= 5; i++) {
            book.book(List.of(task(i, "s" + i)), NOW);
            book.ended("s" + i, WorkerStatus.SUCCEEDED);
        }
        // b5 is kept whole, b3 and b4 by their counts, b1 and b2 are gone.
        assertEquals(List.of("b3", "b4", "b5"), book.summaries(Report.of(RunStatus.INTERIM, List.of(), List.of(), List.of(), null,
                null, null, "run-1", Map.of(WorkerStatus.SUCCEEDED, 5))).stream().map(summary -> summary.batch().id()).toList());
        assertTrue(book.batch("b1").isEmpty());
        assertTrue(book.gone("b1"));
        assertTrue(book.gone("b2"));
        assertFalse(book.gone("b3"));
        assertFalse(book.gone("b6"), "never booked");
        assertFalse(book.gone("x1"));
        assertEquals(List.of("s1"), book.clashes(List.of("s1")), "a gone batch's names stay taken too");
    }

    @Test
    void endsOfSetsNoBatchBooksAreNotKeptForEver() {
        BatchBook book = new BatchBook();
        for (int i = 0; i <= 100_000; i++) {
            book.ended("direct-" + i, WorkerStatus.SUCCEEDED); // given to the Boss directly: never booked
        }
        assertFalse(book.book(List.of(task(1, "direct-0")), NOW).done().isDone(), "the oldest early end was let go of");
        assertTrue(book.book(List.of(task(2, "direct-1")), NOW).done().isDone(), "the latest 100,000 are kept");
    }

    @Test
    void aDigestOfANameIsFoundAgainAndTheTableGrows() {
        NameDigests digests = new NameDigests();
        for (int i = 0; i < 5_000; i++) {
            digests.add("set-" + i);
        }
        digests.add("set-1");
        assertEquals(5_000, digests.size());
        for (int i = 0; i < 5_000; i++) {
            assertTrue(digests.contains("set-" + i), "set-" + i);
        }
        assertFalse(digests.contains("set-5000"));
        assertFalse(digests.contains(""));
    }
}
