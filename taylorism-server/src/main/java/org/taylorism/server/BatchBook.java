package org.taylorism.server;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.taylorism.PendingTask;
import org.taylorism.Report;
import org.taylorism.RunStatus;
import org.taylorism.RunningReport;
import org.taylorism.Task;
import org.taylorism.WorkerReport;
import org.taylorism.WorkerStatus;

/**
 * The batches clients submitted: which sets each holds, and whether each has ended. Ends are told by the Boss
 * thread (through the server's listener), batches by the threads that serve requests; a set may end before its
 * batch is booked (a fast worker), so such ends are kept until it is.
 */
final class BatchBook {

    private final java.util.concurrent.atomic.AtomicLong setsBooked = new java.util.concurrent.atomic.AtomicLong();

    /**
     * One submission.
     *
     * @param id the batch id the client is given
     * @param names the names of its sets, in order
     * @param done completed once every set of the batch has ended, or the run has
     */
    record Batch(String id, Instant submittedAt, List<String> names, CompletableFuture<Void> done) {
    }

    /** Finds the reports of ended sets by name where the Boss no longer holds them (a run store); none by default. */
    interface History {
        History NONE = names -> Map.of();

        Map<String, WorkerReport> endedReports(Collection<String> names);
    }

    private final Map<String, Batch> batches = new LinkedHashMap<>();
    private final Map<String, Batch> batchOfName = new HashMap<>();
    private final Map<String, Integer> unended = new HashMap<>();
    /** Names that ended before their batch was booked, with how (null: never launched). */
    private final Map<String, WorkerStatus> endedEarly = new HashMap<>();
    /** How the ended sets of each batch ended, by batch id: what a report counts when the Boss let go of some. */
    private final Map<String, Map<WorkerStatus, Integer>> endings = new HashMap<>();
    /** Names of booked sets yet to end. */
    private final Set<String> unendedNames = new HashSet<>();
    private boolean runOver;
    private int lastId;

    /** The plain names among {@code names} (no substitution in them) that a batch already has, or that repeat. */
    synchronized List<String> clashes(List<String> names) {
        Set<String> seen = new HashSet<>();
        List<String> clashes = new ArrayList<>();
        for (String name : names) {
            if (!name.contains("[") && (batchOfName.containsKey(name) || !seen.add(name))) {
                clashes.add(name);
            }
        }
        return clashes;
    }

    /** The plain names among {@code names} that sets yet to end have, or that repeat. */
    synchronized List<String> unendedClashes(List<String> names) {
        Set<String> seen = new HashSet<>();
        List<String> clashes = new ArrayList<>();
        for (String name : names) {
            if (!name.contains("[") && (unendedNames.contains(name) || !seen.add(name))) {
                clashes.add(name);
            }
        }
        return clashes;
    }

    /** Books the tasks the Boss accepted as a new batch, and returns it. */
    /** How many sets were booked so far, every batch's. */
    long setsBooked() {
        return setsBooked.get();
    }

    synchronized Batch book(List<Task> tasks, Instant now) {
        setsBooked.addAndGet(tasks.size());
        List<String> names = tasks.stream().map(Task::name).toList();
        Batch batch = new Batch("b" + ++lastId, now, names, new CompletableFuture<>());
        batches.put(batch.id(), batch);
        int left = 0;
        Map<WorkerStatus, Integer> ended = new EnumMap<>(WorkerStatus.class);
        for (String name : names) {
            batchOfName.put(name, batch);
            if (endedEarly.containsKey(name)) {
                count(ended, endedEarly.remove(name));
            } else {
                left++;
                unendedNames.add(name);
            }
        }
        endings.put(batch.id(), ended);
        unended.put(batch.id(), left);
        if (left == 0 || runOver) {
            batch.done().complete(null);
        }
        return batch;
    }

    /** The set called {@code name} ended for good with {@code status} (its last attempt), or never launched (null). */
    synchronized void ended(String name, WorkerStatus status) {
        // A name not booked as unended ended before its batch was booked (a sub-task's name may also be that of an
        // ended set of an earlier batch, its parent's earlier attempt).
        if (!unendedNames.remove(name)) {
            endedEarly.put(name, status);
            return;
        }
        Batch batch = batchOfName.get(name);
        count(endings.get(batch.id()), status);
        int left = unended.merge(batch.id(), -1, Integer::sum);
        if (left <= 0) {
            batch.done().complete(null);
        }
    }

    /** The run is over: every batch has ended as far as it ever will. */
    synchronized void runEnded() {
        runOver = true;
        batches.values().forEach(batch -> batch.done().complete(null));
    }

    synchronized Optional<Batch> batch(String id) {
        return Optional.ofNullable(batches.get(id));
    }

    /**
     * A batch's status and counts, as its report gives them.
     *
     * @param counts how many of its sets ended with each status, then how many are pending and running
     */
    record Summary(Batch batch, RunStatus status, Map<String, Integer> counts) {
    }

    /**
     * The summary of every batch, in the order they were booked: what each batch's report would count, from one pass
     * over what {@code whole} (a report of the run) has pending and running, not a pass per batch (a server may have
     * booked thousands of batches, and its Boss hold hundreds of thousands of reports).
     */
    synchronized List<Summary> summaries(Report whole) {
        Map<Batch, int[]> live = new HashMap<>(); // pending, then running, per batch with any
        whole.pending().forEach(task -> tallyLive(live, task.name(), 0));
        whole.running().forEach(worker -> tallyLive(live, worker.name(), 1));
        List<Summary> summaries = new ArrayList<>(batches.size());
        for (Batch batch : batches.values()) {
            int[] pendingAndRunning = live.getOrDefault(batch, new int[2]);
            Map<WorkerStatus, Integer> ended = endings.getOrDefault(batch.id(), Map.of());
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (WorkerStatus status : WorkerStatus.values()) {
                counts.put(status.jsonName(), ended.getOrDefault(status, 0));
            }
            counts.put("pending", pendingAndRunning[0]);
            counts.put("running", pendingAndRunning[1]);
            boolean allEnded = pendingAndRunning[0] == 0 && pendingAndRunning[1] == 0;
            summaries.add(new Summary(batch, allEnded && whole.status() == RunStatus.INTERIM ? RunStatus.FINISHED : whole.status(),
                    counts));
        }
        return summaries;
    }

    /** Counts the set {@code name} in {@code live}'s slot {@code which}, for the batch it was last booked in. */
    private void tallyLive(Map<Batch, int[]> live, String name, int which) {
        Batch batch = batchOfName.get(name);
        if (batch != null) {
            live.computeIfAbsent(batch, any -> new int[2])[which]++;
        }
    }

    private static void count(Map<WorkerStatus, Integer> counts, WorkerStatus status) {
        if (status != null) {
            counts.merge(status, 1, Integer::sum);
        }
    }

    /**
     * The part of {@code whole} (a report of the run) that is {@code batch}'s: its sets, counted, with the batch's own
     * status: interim while any of its sets is yet to end; when all have, finished; once the run is over, the run's
     * status if sets of the batch never ran. Ended sets whose reports the Boss let go of are read from {@code history};
     * those it has not are counted as not held.
     */
    Report reportOf(Batch batch, Report whole, History history) {
        Set<String> names = new HashSet<>(batch.names());
        List<WorkerReport> workers = new ArrayList<>(whole.workers().stream().filter(worker -> names.contains(worker.name())).toList());
        List<PendingTask> pending = whole.pending().stream().filter(task -> names.contains(task.name())).toList();
        List<RunningReport> running = whole.running().stream().filter(worker -> names.contains(worker.name())).toList();
        Map<WorkerStatus, Integer> ended;
        synchronized (this) {
            ended = new EnumMap<>(endings.getOrDefault(batch.id(), Map.of()));
        }
        int endedCount = ended.values().stream().mapToInt(Integer::intValue).sum();
        if (workers.size() < endedCount) {
            Set<String> missing = new HashSet<>(names);
            workers.forEach(worker -> missing.remove(worker.name()));
            pending.forEach(task -> missing.remove(task.name()));
            running.forEach(worker -> missing.remove(worker.name()));
            workers.addAll(history.endedReports(missing).values());
            workers.sort(Comparator.comparing(WorkerReport::endedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        }
        workers.forEach(worker -> ended.computeIfPresent(worker.status(), (status, count) -> count > 1 ? count - 1 : null));
        boolean allEnded = pending.isEmpty() && running.isEmpty();
        RunStatus status = allEnded && whole.status() == RunStatus.INTERIM ? RunStatus.FINISHED : whole.status();
        String failedWorker = names.contains(whole.failedWorker()) ? whole.failedWorker() : null;
        return Report.of(status, workers, pending, running, whole.error(), failedWorker,
                whole.runDirectory() == null ? null : Path.of(whole.runDirectory()), whole.runId(), ended);
    }
}
