package org.taylorism.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taylorism.ResumePolicy;
import org.taylorism.spi.PriorRun;
import org.taylorism.spi.PriorSet;

/** What a resumed run does with each set it is given, and what it says of a batch that changed. */
class ResumptionTest {

    /** An earlier run whose sets never started (no report, no attempt): the standard policy runs them again. */
    private static PriorRun priorRun(String... keysAndNames) {
        Map<String, PriorSet> sets = new LinkedHashMap<>();
        for (int i = 0; i < keysAndNames.length; i += 2) {
            sets.put(keysAndNames[i], new PriorSet(keysAndNames[i], i / 2 + 1, keysAndNames[i + 1], "command",
                    Map.of(), null, 0, null));
        }
        return new PriorRun("run-1", null, sets);
    }

    @Test
    void aChangedBatchSaysWhichSetsAreNewChangedOrGone() {
        Resumption resumption = new Resumption(priorRun("k-a", "a", "k-b", "b", "k-c", "c"), ResumePolicy.standard());
        List<String> names = List.of("a", "b", "d");
        List<Resumption.Decision> decisions = new ArrayList<>();
        decisions.add(resumption.decide("k-a", "a"));
        decisions.add(resumption.decide("k-b2", "b"));
        decisions.add(resumption.decide("k-d", "d"));

        assertEquals(List.of(new Resumption.Run(Resumption.Why.AGAIN), new Resumption.Run(Resumption.Why.CHANGED),
                new Resumption.Run(Resumption.Why.NEW)), decisions);
        assertEquals("resuming run run-1 (" + ResumePolicy.standard() + "): 1 changed (b), 1 new (d), 1 to run again",
                resumption.summary(decisions, names));
        assertEquals("1 sets of run run-1 are gone (this run was not given them): (c)", resumption.gone());
    }

    @Test
    void theSameBatchAgainHasNothingGoneAndALongListIsCut() {
        String[] prior = new String[24];
        for (int i = 0; i < 12; i++) {
            prior[2 * i] = "k" + i;
            prior[2 * i + 1] = "s" + i;
        }
        Resumption resumption = new Resumption(priorRun(prior), ResumePolicy.parse("never_started=skip"));
        List<Resumption.Decision> decisions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            decisions.add(resumption.decide("k" + i, "s" + i));
            names.add("s" + i);
        }
        for (int i = 0; i < 12; i++) {
            decisions.add(resumption.decide("n" + i, "new-" + i));
            names.add("new-" + i);
        }

        assertEquals(new Resumption.NotRun("not run: never started in run run-1, and the resume policy skips such sets"),
                decisions.get(0));
        assertNull(resumption.gone());
        assertEquals("resuming run run-1 (" + ResumePolicy.parse("never_started=skip") + "): 12 left not run, 12 new"
                + " (new-0, new-1, new-2, new-3, new-4, new-5, new-6, new-7, new-8, new-9 and 2 more)",
                resumption.summary(decisions, names));
    }

    @Test
    void aSetGivenTwiceRunsTheSecondTimeAsNew() {
        Resumption resumption = new Resumption(priorRun("k-a", "a"), ResumePolicy.standard());
        resumption.decide("k-a", "a");

        assertEquals(new Resumption.Run(Resumption.Why.NEW), resumption.decide("k-a", "a"),
                "the earlier run's set is taken: this one is another");
        assertNull(resumption.gone());
    }
}
