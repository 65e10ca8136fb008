package org.taylorism.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.HaltPolicy;
import org.taylorism.Report;
import org.taylorism.RetryPolicy;
import org.taylorism.Scheduler;
import org.taylorism.Signal;
import org.taylorism.WorkerReport;
import org.taylorism.testing.TestWorkers;

/** A Boss that holds a bounded number of ended reports, for a bounded time, and still counts every one. */
class RetentionDecisionsTest {

    @TempDir
    Path runs;

    private static List<String> listed(Report report) {
        return report.workers().stream().map(WorkerReport::name).toList();
    }

    @Test
    void theLatestReportsAreHeldAndTheOthersCounted() {
        SyncEngine engine = new SyncEngine(Scheduler.maxThreads(4), HaltPolicy.KEEP_GOING, RetryPolicy.NONE, runs, 2, null);
        engine.submit(List.of(TestWorkers.echoSet("a"), TestWorkers.echoSet("b"), TestWorkers.echoSet("c"), TestWorkers.echoSet("d")))
                .send(Signal.RESUME);
        engine.launcher.succeed("a", 1);
        engine.launcher.succeed("b", 2);
        engine.ended();
        Report both = engine.report();
        assertEquals(List.of("a", "b"), listed(both));
        assertNull(both.notHeld());

        engine.launcher.succeed("c", 3);
        engine.launcher.fail("d", "x.Boom", "no");
        engine.send(Signal.END);
        Report last = engine.finalReport();
        assertEquals(List.of("c", "d"), listed(last), "the two latest");
        assertEquals(2, last.notHeld());
        assertEquals(3, last.counts().get("succeeded"), "every end counts");
        assertEquals(1, last.counts().get("failed"));
        assertFalse(last.isSuccess());
    }

    @Test
    void aReportIsHeldNoLongerThanItsTime() {
        SyncEngine engine = new SyncEngine(Scheduler.maxThreads(4), HaltPolicy.KEEP_GOING, RetryPolicy.NONE, runs, 1000,
                Duration.ofMinutes(10));
        engine.submit(List.of(TestWorkers.echoSet("early"), TestWorkers.echoSet("late"))).send(Signal.RESUME);
        engine.launcher.succeed("early", 1);
        engine.ended();
        engine.advance(Duration.ofMinutes(6));
        engine.launcher.succeed("late", 2);
        engine.ended();
        assertEquals(List.of("early", "late"), listed(engine.report()));
        engine.advance(Duration.ofMinutes(5));
        Report report = engine.report();
        assertEquals(List.of("late"), listed(report), "early ended eleven minutes ago");
        assertEquals(1, report.notHeld());
        assertEquals(2, report.counts().get("succeeded"));
    }
}
