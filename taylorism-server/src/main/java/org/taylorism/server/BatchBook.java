package org.taylorism.server;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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
 *
 * <p>A server runs for days: what it keeps of ended batches is bounded. Once the ended batches it keeps whole hold more
 * than {@link #KEPT_ENDED_SETS} sets, it forgets the names of the oldest (never the latest): such a batch keeps its
 * counts, its report lists none of its sets and counts them all as not held (as a Boss bounded by
 * {@code retainEnded} counts what it let go of), and its names stay taken, as digests ({@link NameDigests}). Past
 * {@link #KEPT_FORGOTTEN_BATCHES} such batches, the oldest are let go of whole: asked for, they are said to be gone.
 */
final class BatchBook {

    /** The sets of ended batches kept whole, with their names: about 100 bytes each. */
    static final int KEPT_ENDED_SETS = 100_000;
    /** The ended batches kept by their counts alone, once their names are forgotten: about 300 bytes each. */
    static final int KEPT_FORGOTTEN_BATCHES = 100_000;
    private static final int EARLY_ENDS_KEPT = 100_000;

    private final java.util.concurrent.atomic.AtomicLong setsBooked = new java.util.concurrent.atomic.AtomicLong();

    /**
     * One submission.
     *
     * @param id the batch id the client is given
     * @param names the names of its sets, in order; none once the batch ended and they were forgotten
     * @param size how many sets it has
     * @param forgotten whether its names were forgotten (see the class's comment)
     * @param done completed once every set of the batch has ended, or the run has
     */
    record Batch(String id, Instant submittedAt, List<String> names, int size, boolean forgotten, CompletableFuture<Void> done) {

        private Batch withNamesForgotten() {
            return new Batch(id, submittedAt, List.of(), size, true, done);
        }

        /** This batch whole again, with the {@code names} of its sets that someone else kept, if it forgot them. */
        Batch withNames(List<String> names) {
            return forgotten ? new Batch(id, submittedAt, List.copyOf(names), size, false, done) : this;
        }
    }

    /** Finds the reports of ended sets by name where the Boss no longer holds them (a run store); none by default. */
    interface History {
        History NONE = names -> Map.of();

        Map<String, WorkerReport> endedReports(Collection<String> names);
    }

    private final Map<String, Batch> batches = new LinkedHashMap<>();
    private final Map<String, Batch> batchOfName = new HashMap<>();
    private final Map<String, Integer> unended = new HashMap<>();
    /**
     * Names that ended before their batch was booked, with how (null: never launched); the latest
     * {@link #EARLY_ENDS_KEPT}. A batch is booked the moment its Boss accepted it, so an end waits here for
     * milliseconds; ends of sets no batch books (given to the Boss directly, carried over by a resumed run) would
     * otherwise stay for the server's life. (A batch booked only after more such ends than that would wait for ever
     * for the end of its set that came first.)
     */
    private final Map<String, WorkerStatus> endedEarly = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WorkerStatus> eldest) {
            return size() > EARLY_ENDS_KEPT;
        }
    };
    /** How the ended sets of each batch ended, by batch id: what a report counts when the Boss let go of some. */
    private final Map<String, Map<WorkerStatus, Integer>> endings = new HashMap<>();
    /**
     * The batch each booked set yet to end is in, by name. A name can be unended in several batches at once: one made by
     * {@code [#]} or {@code [key]}, which the clash check cannot see before the Boss makes it, and a sub-task's name
     * used again. The later ones wait in {@link #laterUnendedIn}, in booking order, and each end goes to the first:
     * no batch then waits for ever for an end that was counted for another.
     */
    private final Map<String, Batch> unendedIn = new HashMap<>();
    private final Map<String, Deque<Batch>> laterUnendedIn = new HashMap<>();
    private boolean runOver;
    private int lastId;
    private final int keptEndedSets;
    private final int keptForgottenBatches;
    /** The ended batches kept whole, the first to end first, and how many sets they hold. */
    private final Deque<String> endedWhole = new ArrayDeque<>();
    private long setsEndedWhole;
    /** The batches kept by their counts alone, the first forgotten first. */
    private final Deque<String> forgottenOrder = new ArrayDeque<>();
    private final NameDigests forgottenNames = new NameDigests();
    /** The numbers of the batches let go of whole. */
    private final BitSet gone = new BitSet();

    BatchBook() {
        this(KEPT_ENDED_SETS, KEPT_FORGOTTEN_BATCHES);
    }

    BatchBook(int keptEndedSets, int keptForgottenBatches) {
        this.keptEndedSets = keptEndedSets;
        this.keptForgottenBatches = keptForgottenBatches;
    }

    /** The plain names among {@code names} (no substitution in them) that a batch already has, or that repeat. */
    synchronized List<String> clashes(List<String> names) {
        Set<String> seen = new HashSet<>();
        List<String> clashes = new ArrayList<>();
        for (String name : names) {
            if (!name.contains("[") && (batchOfName.containsKey(name) || forgottenNames.contains(name) || !seen.add(name))) {
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
            if (!name.contains("[") && (unendedIn.containsKey(name) || !seen.add(name))) {
                clashes.add(name);
            }
        }
        return clashes;
    }

    /** How many sets were booked so far, every batch's. */
    long setsBooked() {
        return setsBooked.get();
    }

    /** Books the tasks the Boss accepted as a new batch, and returns it. */
    synchronized Batch book(List<Task> tasks, Instant now) {
        setsBooked.addAndGet(tasks.size());
        List<String> names = tasks.stream().map(Task::name).toList();
        Batch batch = new Batch("b" + ++lastId, now, names, names.size(), false, new CompletableFuture<>());
        batches.put(batch.id(), batch);
        int left = 0;
        Map<WorkerStatus, Integer> ended = new EnumMap<>(WorkerStatus.class);
        for (String name : names) {
            batchOfName.put(name, batch);
            if (endedEarly.containsKey(name)) {
                count(ended, endedEarly.remove(name));
            } else {
                left++;
                if (unendedIn.putIfAbsent(name, batch) != null) {
                    laterUnendedIn.computeIfAbsent(name, again -> new ArrayDeque<>()).add(batch);
                }
            }
        }
        endings.put(batch.id(), ended);
        unended.put(batch.id(), left);
        if (left == 0 || runOver) {
            batch.done().complete(null);
        }
        if (left == 0) {
            endedWhole(batch);
        }
        return batch;
    }

    /** The set called {@code name} ended for good with {@code status} (its last attempt), or never launched (null). */
    synchronized void ended(String name, WorkerStatus status) {
        // A name not booked as unended ended before its batch was booked (a sub-task's name may also be that of an
        // ended set of an earlier batch, its parent's earlier attempt).
        Batch batch = unendedIn.remove(name);
        if (batch == null) {
            endedEarly.put(name, status);
            return;
        }
        Deque<Batch> later = laterUnendedIn.get(name);
        if (later != null) {
            unendedIn.put(name, later.poll());
            if (later.isEmpty()) {
                laterUnendedIn.remove(name);
            }
        }
        count(endings.get(batch.id()), status);
        int left = unended.merge(batch.id(), -1, Integer::sum);
        if (left <= 0) {
            batch.done().complete(null);
        }
        if (left == 0) {
            endedWhole(batch);
        }
    }

    /** Every set of {@code batch} ended: kept whole for now, it may be the one that makes the oldest forgotten. */
    private void endedWhole(Batch batch) {
        endedWhole.add(batch.id());
        setsEndedWhole += batch.size();
        while (setsEndedWhole > keptEndedSets && endedWhole.size() > 1) {
            forgetNames(batches.get(endedWhole.poll()));
        }
        while (forgottenOrder.size() > keptForgottenBatches) {
            String id = forgottenOrder.poll();
            batches.remove(id);
            endings.remove(id);
            gone.set(Integer.parseInt(id.substring(1)));
        }
    }

    private void forgetNames(Batch batch) {
        setsEndedWhole -= batch.size();
        for (String name : batch.names()) {
            if (batchOfName.remove(name, batch)) {
                forgottenNames.add(name);
            }
        }
        unended.remove(batch.id());
        batches.put(batch.id(), batch.withNamesForgotten());
        forgottenOrder.add(batch.id());
    }

    /** Whether batch {@code id} ended and was let go of whole. */
    synchronized boolean gone(String id) {
        if (!id.matches("b[1-9][0-9]{0,9}")) {
            return false;
        }
        long number = Long.parseLong(id.substring(1));
        return number <= Integer.MAX_VALUE && gone.get((int) number);
    }

    int keptForgottenBatches() {
        return keptForgottenBatches;
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

    /** A batch's sets pending and running, in a report of the run. */
    private record Live(List<PendingTask> pending, List<RunningReport> running) {
        static final Live NONE = new Live(List.of(), List.of());
    }

    /**
     * The summary of every batch, in the order they were booked: what each batch's report counts, from one pass over
     * what {@code whole} (a report of the run) has pending and running, not a pass per batch (a server may have booked
     * thousands of batches, and its Boss hold hundreds of thousands of reports).
     */
    synchronized List<Summary> summaries(Report whole) {
        Map<String, Live> live = liveOf(whole);
        List<Summary> summaries = new ArrayList<>(batches.size());
        for (Batch batch : batches.values()) {
            Live its = live.getOrDefault(batch.id(), Live.NONE);
            Map<WorkerStatus, Integer> ended = endings.get(batch.id());
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (WorkerStatus status : WorkerStatus.values()) {
                counts.put(status.jsonName(), ended.getOrDefault(status, 0));
            }
            counts.put("pending", its.pending().size());
            counts.put("running", its.running().size());
            summaries.add(new Summary(batch, statusOf(batch, its, whole), counts));
        }
        return summaries;
    }

    /**
     * Which batch's each pending and running set of {@code whole} is: the batch its name is unended in; of a name
     * unended in several, the k-th set (running ones first) is the k-th batch's, in booking order.
     */
    private Map<String, Live> liveOf(Report whole) {
        Map<String, Live> live = new HashMap<>(); // by batch id: a batch's own hash walks its names
        Map<String, Integer> seen = new HashMap<>(); // sets seen so far of the names unended in several batches
        for (RunningReport worker : whole.running()) {
            liveOf(live, batchOfLive(worker.name(), seen)).running().add(worker);
        }
        for (PendingTask task : whole.pending()) {
            liveOf(live, batchOfLive(task.name(), seen)).pending().add(task);
        }
        live.remove(null); // sets of no booked batch
        return live;
    }

    private static Live liveOf(Map<String, Live> live, Batch batch) {
        return live.computeIfAbsent(batch == null ? null : batch.id(), id -> new Live(new ArrayList<>(), new ArrayList<>()));
    }

    private Batch batchOfLive(String name, Map<String, Integer> seen) {
        Batch first = unendedIn.get(name);
        if (first == null) {
            return batchOfName.get(name); // it ended since the report was made, or its batch is not booked yet
        }
        Deque<Batch> later = laterUnendedIn.get(name);
        if (later == null) {
            return first;
        }
        int earlier = seen.merge(name, 1, Integer::sum) - 1;
        Iterator<Batch> after = later.iterator();
        Batch batch = first;
        for (int i = 0; i < earlier && after.hasNext(); i++) {
            batch = after.next();
        }
        return batch;
    }

    /**
     * Interim while any of the batch's sets is yet to end; when all have, finished; once the run is over, the run's
     * status (sets of the batch may never have run).
     */
    private RunStatus statusOf(Batch batch, Live its, Report whole) {
        boolean allEnded = its.pending().isEmpty() && its.running().isEmpty() && unended.getOrDefault(batch.id(), 0) <= 0;
        return allEnded && whole.status() == RunStatus.INTERIM ? RunStatus.FINISHED : whole.status();
    }

    private static void count(Map<WorkerStatus, Integer> counts, WorkerStatus status) {
        if (status != null) {
            counts.merge(status, 1, Integer::sum);
        }
    }

    /**
     * The part of {@code whole} (a report of the run) that is {@code batch}'s: its sets, counted, with the batch's own
     * status ({@link #statusOf}). Ended sets whose reports the Boss let go of are read from {@code history}; those it
     * has not are counted as not held. Its ended sets are found by name: of a name in several batches, each lists
     * every ended set of that name the Boss holds.
     */
    Report reportOf(Batch batch, Report whole, History history) {
        Set<String> names = new HashSet<>(batch.names());
        List<WorkerReport> workers = new ArrayList<>(whole.workers().stream().filter(worker -> names.contains(worker.name())).toList());
        Live its;
        Map<WorkerStatus, Integer> ended;
        RunStatus status;
        synchronized (this) {
            its = liveOf(whole).getOrDefault(batch.id(), Live.NONE);
            ended = new EnumMap<>(WorkerStatus.class);
            ended.putAll(endings.getOrDefault(batch.id(), Map.of()));
            status = statusOf(batch, its, whole);
        }
        int endedCount = ended.values().stream().mapToInt(Integer::intValue).sum();
        if (workers.size() < endedCount) {
            Set<String> missing = new HashSet<>(names);
            workers.forEach(worker -> missing.remove(worker.name()));
            its.pending().forEach(task -> missing.remove(task.name()));
            its.running().forEach(worker -> missing.remove(worker.name()));
            if (!missing.isEmpty()) {
                workers.addAll(history.endedReports(missing).values());
            }
            workers.sort(Comparator.comparing(WorkerReport::endedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        }
        workers.forEach(worker -> ended.computeIfPresent(worker.status(), (any, count) -> count > 1 ? count - 1 : null));
        String failedWorker = names.contains(whole.failedWorker()) ? whole.failedWorker() : null;
        return Report.of(status, workers, its.pending(), its.running(), whole.error(), failedWorker,
                whole.runDirectory() == null ? null : Path.of(whole.runDirectory()), whole.runId(), ended);
    }
}
