package org.taylorism.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Report;
import org.taylorism.RunStoreException;
import org.taylorism.WorkerReport;
import org.taylorism.internal.Json;
import org.taylorism.spi.JournalEntry;

/**
 * The one thread that writes a store for this process ({@code taylorism-store-N}): it takes what the runs'
 * journals give it and writes as much as has come in one transaction (group commit), so that a busy Boss pays
 * for one commit per batch of rounds, not one per worker, and its own thread never waits for the disk. Every
 * {@link Owner#HEARTBEAT} it also says that its live runs still run.
 */
final class StoreWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final AtomicInteger NUMBERS = new AtomicInteger();
    /** The most pieces of work one transaction takes: a commit now and then, even under a flood. */
    private static final int MOST_PER_TRANSACTION = 2_000;
    /**
     * How long the writer waits for more work before it commits what it has: a Boss ending hundreds of workers a
     * second then pays for a commit every few rounds, not every round; what it records is durable this much later.
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** What the writer is given. */
    sealed interface Work {
        Journal journal();
    }

    record Entries(Journal journal, List<JournalEntry> entries) implements Work {
    }

    /** @param neverStartedReason why the report's pending sets never started, as the run says it; null for none */
    record Finish(Journal journal, Report report, String neverStartedReason, CompletableFuture<Void> written) implements Work {
    }

    /** Asks to be told once everything submitted before it is written (or has failed to be). */
    record Barrier(CompletableFuture<Void> passed) implements Work {
        @Override
        public Journal journal() {
            return null;
        }
    }

    private record Stop() implements Work {
        @Override
        public Journal journal() {
            return null;
        }
    }

    private record AttemptKey(Journal journal, long taskId, int attempt) {
    }

    private final Database database;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Set by the writer's thread before it lets the barriers left in its queue pass, as its last act. */
    private volatile boolean stopped;
    /** Writer thread only, from here on. */
    private final Set<Journal> live = new HashSet<>();
    /** Told how long each transaction took to write, or null. */
    private volatile java.util.function.Consumer<java.time.Duration> writeObserver;
    private Connection connection;
    private WriterStatements statements;
    private long lastHeartbeat;

    StoreWriter(Database database) {
        this.database = database;
        this.thread = new Thread(this::run, "taylorism-store-" + NUMBERS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** The store's file, for messages. */
    Path file() {
        return database.file();
    }

    void submit(Work work) {
        queue.add(work);
        if (work instanceof Finish || work instanceof Barrier) {
            LockSupport.unpark(thread); // someone waits: no lingering
        }
        // Read after the work was queued: either this sees the writer stopped, or the writer sees the work as it stops.
        // Only one of the two takes it from the queue (an equal twin taken instead is turned away alike).
        if (stopped && queue.remove(work)) {
            turnAway(work);
        }
    }

    private void run() {
        try {
            while (true) {
                Work first = queue.poll(Owner.HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                List<Work> batch = new ArrayList<>();
                if (first != null) {
                    batch.add(first);
                    gather(batch);
                }
                // Everything queued before the stop is in this batch (or was in one before): written, and then the writer
                // ends, whatever has come since (turned away as it ends, or as it comes).
                boolean stop = batch.removeIf(work -> work instanceof Stop);
                List<Barrier> barriers = new ArrayList<>();
                batch.removeIf(work -> work instanceof Barrier barrier && barriers.add(barrier));
                write(batch);
                barriers.forEach(barrier -> barrier.passed().complete(null));
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
            stopped = true;
            for (Work left; (left = queue.poll()) != null; ) {
                turnAway(left);
            }
        }
    }

    /**
     * What came once the writer stopped: a barrier passes (nothing more is written: there is nothing to wait for), and
     * a run's entries fail it, so that its Boss hears it and no one waits for them.
     */
    private void turnAway(Work work) {
        if (work instanceof Barrier barrier) {
            barrier.passed().complete(null);
            return;
        }
        if (work instanceof Stop) {
            return;
        }
        RunStoreException error = new RunStoreException("the run store " + database.file() + " was closed before it could"
                + " write what run " + work.journal().runId() + " recorded");
        work.journal().fail(error);
        if (work instanceof Finish finish) {
            // Its Boss may be past hearing of failures (its inbox closes as the run ends): said here too.
            log.warn("{}", error.getMessage());
            finish.written().completeExceptionally(error);
        }
    }

    /**
     * Adds to {@code batch} what comes within the linger time: the writer sleeps it through once (it is woken
     * early by a finish or a stop, which someone waits for), so that it wakes at most once per linger time however
     * many rounds come, and takes the CPU from the workers no more often.
     */
    private void gather(List<Work> batch) {
        if (!(batch.get(0) instanceof Finish || batch.get(0) instanceof Stop || batch.get(0) instanceof Barrier)) {
            LockSupport.parkNanos(this, LINGER_NANOS);
        }
        queue.drainTo(batch, MOST_PER_TRANSACTION - batch.size());
    }

    /** Tells {@code observer} how long each transaction takes to write (a metric); null for no one. */
    void observeWrites(java.util.function.Consumer<java.time.Duration> observer) {
        writeObserver = observer;
    }

    private void observe(long nanos) {
        java.util.function.Consumer<java.time.Duration> observer = writeObserver;
        if (observer != null) {
            try {
                observer.accept(java.time.Duration.ofNanos(nanos));
            } catch (RuntimeException e) {
                log.warn("The store's write observer failed; it is told no more", e);
                writeObserver = null;
            }
        }
    }

    /** Writes one batch in one transaction, with the heartbeat when it is due; a failure fails its runs. */
    private void write(List<Work> batch) {
        long now = System.currentTimeMillis();
        boolean heartbeat = now - lastHeartbeat >= Owner.HEARTBEAT.toMillis() && !live.isEmpty();
        batch.removeIf(work -> {
            if (!work.journal().failed()) {
                return false;
            }
            if (work instanceof Finish finish) {
                finish.written().complete(null); // its failure was told already; nothing more is written for it
            }
            return true;
        });
        if (batch.isEmpty() && !heartbeat) {
            return;
        }
        long writeStart = System.nanoTime();
        try {
            Connection open = connection();
            statements.begin();
            Map<AttemptKey, JournalEntry.AttemptStarted> starts = new HashMap<>();
            for (Work work : batch) {
                live.add(work.journal());
                apply(work, now, starts);
            }
            for (Map.Entry<AttemptKey, JournalEntry.AttemptStarted> start : starts.entrySet()) {
                JournalEntry.AttemptStarted started = start.getValue();
                Journal journal = start.getKey().journal();
                statements.insertAttempt(journal.runNumber, started, stored(journal, started.stdout()), stored(journal, started.stderr()));
            }
            if (heartbeat) {
                for (Journal journal : live) {
                    statements.heartbeat(journal.runNumber, now);
                }
                lastHeartbeat = now;
            }
            statements.commit();
            observe(System.nanoTime() - writeStart);
        } catch (SQLException | IOException | RuntimeException e) {
            rollback();
            Set<Journal> hit = new LinkedHashSet<>();
            batch.forEach(work -> hit.add(work.journal()));
            RunStoreException error = new RunStoreException("could not write the run store " + database.file() + ": " + e.getMessage(), e);
            hit.forEach(journal -> journal.fail(error));
            live.removeAll(hit);
            batch.forEach(work -> {
                if (work instanceof Finish finish) {
                    finish.written().completeExceptionally(error);
                }
            });
            return;
        }
        for (Work work : batch) {
            if (work instanceof Finish finish) {
                live.remove(finish.journal());
                finish.written().complete(null);
            }
        }
    }

    /**
     * @param starts attempts started in this batch, not written yet: one that ends in the same batch (a short task)
     *     is written once, whole, instead of inserted then updated
     */
    private void apply(Work work, long now, Map<AttemptKey, JournalEntry.AttemptStarted> starts) throws SQLException, IOException {
        Journal journal = work.journal();
        if (work instanceof Entries entries) {
            for (JournalEntry entry : entries.entries()) {
                apply(journal, entry, starts);
            }
        } else if (work instanceof Finish finish) {
            Report report = finish.report();
            statements.finishRun(journal.runNumber, now, report.status().jsonName(),
                    report.error() == null ? null : Json.MAPPER.writeValueAsString(report.error()), report.failedWorker(),
                    report.runDirectory(), finish.neverStartedReason());
        }
    }

    private void apply(Journal journal, JournalEntry entry, Map<AttemptKey, JournalEntry.AttemptStarted> starts)
            throws SQLException, IOException {
        if (entry instanceof JournalEntry.SetAccepted accepted) {
            statements.insertSet(journal.runNumber, accepted, journal.nextPosition++);
        } else if (entry instanceof JournalEntry.AttemptStarted started) {
            starts.put(new AttemptKey(journal, started.taskId(), started.attempt()), started);
        } else if (entry instanceof JournalEntry.AttemptEnded ended) {
            WorkerReport report = ended.report();
            starts.remove(new AttemptKey(journal, ended.taskId(), report.attempt())); // written whole below
            statements.endAttempt(journal.runNumber, ended, journal.nextEndOrder++, stored(journal, report.stdout()),
                    stored(journal, report.stderr()));
        }
    }

    /**
     * An output file's path as stored: relative to its run's directory when it is in it (a launcher of one's own
     * may put files elsewhere, and a carried-over report's are in the earlier run's: those are kept whole).
     */
    private static String stored(Journal journal, String path) {
        String prefix = journal.runDirectoryPrefix;
        return path != null && path.length() > prefix.length() && path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = database.connect();
            statements = new WriterStatements(connection);
        }
        return connection;
    }

    private void rollback() {
        try {
            if (statements != null) {
                statements.rollback();
            }
        } catch (SQLException e) {
            log.debug("Could not roll back a failed write of {}", database.file(), e);
            closeConnection(); // a new one is opened for the next write
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Could not close {}", database.file(), e);
            }
            connection = null;
            statements = null;
        }
    }

    /** Writes what it was given, then ends its thread; waits for it (a bounded time). */
    @Override
    public void close() {
        queue.add(new Stop());
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(120));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
