package org.taylorism.store;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.Report;
import org.taylorism.RunStoreException;
import org.taylorism.spi.JournalEntry;
import org.taylorism.spi.RunJournal;

/**
 * One run's journal: what its Boss thread records goes to the store's {@link StoreWriter}, which writes it in
 * the background. The first write that fails is told to the Boss, once; what comes after it is dropped.
 */
final class Journal implements RunJournal {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    /** How long the end of a run waits for the store to write what it was given. */
    private static final long FINISH_WAIT_SECONDS = 120;

    private final String runId;
    /** The run's row number, by which its sets and attempts name it. */
    final long runNumber;
    private final Path runDirectory;
    /** What the paths of files in the run's directory start with: they are stored without it. */
    final String runDirectoryPrefix;
    private final StoreWriter writer;
    private final Consumer<RunStoreException> writesFailed;
    private final AtomicBoolean failed = new AtomicBoolean();
    /** The next set's submission position and the next end's order: the writer thread's only. */
    int nextPosition;
    int nextEndOrder;

    Journal(String runId, long runNumber, Path runDirectory, StoreWriter writer, Consumer<RunStoreException> writesFailed) {
        this.runId = runId;
        this.runNumber = runNumber;
        this.runDirectory = runDirectory;
        this.runDirectoryPrefix = runDirectory + "/";
        this.writer = writer;
        this.writesFailed = writesFailed;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public Path runDirectory() {
        return runDirectory;
    }

    @Override
    public void record(List<JournalEntry> entries) {
        if (!failed.get()) {
            writer.submit(new StoreWriter.Entries(this, entries));
        }
    }

    /** Records the run's end with the reason the first pending set of {@code report} gives for them all. */
    @Override
    public void finish(Report report) {
        finish(report, null);
    }

    @Override
    public void finish(Report report, String neverStartedReason) {
        if (failed.get()) {
            return;
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        // A run that finished with sets a resumed run left not run says no reason of its own (nor does a caller of
        // finish(report)): the first pending set's is kept.
        String reason = report.pending().isEmpty() ? null
                : neverStartedReason != null ? neverStartedReason : report.pending().get(0).reason();
        writer.submit(new StoreWriter.Finish(this, report, reason, written));
        try {
            written.get(FINISH_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // Not written, as far as anyone can tell: the run is failed by its store, as by any write that failed.
            log.error("The run store did not write the end of run {} within {} s; it may be marked interrupted", runId,
                    FINISH_WAIT_SECONDS);
            fail(new RunStoreException("the run store " + writer.file() + " did not write the end of run " + runId + " within "
                    + FINISH_WAIT_SECONDS + " s"));
        } catch (ExecutionException e) {
            // told through writesFailed already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean failed() {
        return failed.get();
    }

    /** A write of this run failed: the Boss hears it once. */
    void fail(RunStoreException error) {
        if (failed.compareAndSet(false, true)) {
            try {
                writesFailed.accept(error);
            } catch (RuntimeException e) {
                log.warn("Telling the Boss of run {} that its store failed, failed", runId, e);
            }
        }
    }
}
