package org.taylorism.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;

/**
 * The reports of the run's ended sets that the Boss holds, in completion order, and how many it let go of. A Boss
 * that runs for days (a server) holds the latest {@code maxHeld}, and none held longer than {@code maxAge}: a run
 * store keeps every report, and reports count the ones let go of. Boss thread only.
 */
final class EndedReports {

    private record Held(Instant since, WorkerReport report) {
    }

    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final Map<WorkerStatus, Integer> letGo = new EnumMap<>(WorkerStatus.class);
    private final int maxHeld;
    private final Duration maxAge;

    /**
     * @param maxHeld the most reports held ({@link Integer#MAX_VALUE}: all)
     * @param maxAge the longest a report is held, or null for as long as the run
     */
    EndedReports(int maxHeld, Duration maxAge) {
        this.maxHeld = maxHeld;
        this.maxAge = maxAge;
    }

    void add(WorkerReport report, Instant now) {
        held.addLast(new Held(now, report));
    }

    /** Lets go of the oldest reports beyond the bounds, as they are at {@code now}. */
    void letGoOfOld(Instant now) {
        Instant oldestKept = maxAge == null ? null : now.minus(maxAge);
        while (held.size() > maxHeld || !held.isEmpty() && oldestKept != null && held.peekFirst().since().isBefore(oldestKept)) {
            letGo.merge(held.pollFirst().report().status(), 1, Integer::sum);
        }
    }

    /** The reports held, in completion order; a copy. */
    List<WorkerReport> held() {
        List<WorkerReport> reports = new ArrayList<>(held.size());
        held.forEach(entry -> reports.add(entry.report()));
        return reports;
    }

    /** The latest report held of a set called {@code name}, or null; looks through them all. */
    WorkerReport latestOf(String name) {
        for (java.util.Iterator<Held> each = held.descendingIterator(); each.hasNext(); ) {
            WorkerReport report = each.next().report();
            if (report.name().equals(name)) {
                return report;
            }
        }
        return null;
    }

    /** How many reports were let go of, by status; a copy, empty when none was. */
    Map<WorkerStatus, Integer> letGo() {
        return new EnumMap<>(letGo);
    }
}
