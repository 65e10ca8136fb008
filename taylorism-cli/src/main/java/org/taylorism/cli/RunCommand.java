package org.taylorism.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import org.taylorism.Boss;
import org.taylorism.ResumePolicy;
import org.taylorism.server.SchedulerSettings;
import org.taylorism.server.ServerOptions;
import org.taylorism.server.TaylorismServer;
import org.taylorism.spi.RunStore;
import org.taylorism.store.JdbcRunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code taylorism run BATCH}: runs a batch and writes its JSON report; {@code --resume} takes up an earlier run of it. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = {"Runs every instruction set of BATCH as a worker in its own process. The programs' output is printed"
                + " on stdout and stderr as each ends (see --output); the JSON report goes to report.json in the run's directory"
                + " (and to --report FILE, or - for stdout). Progress and the summary go to stderr.",
                "Ctrl-C once: launch nothing more, let running workers finish; twice: kill them. The report is written either way."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {BatchRun.EXIT_OK, BatchRun.EXIT_INTERNAL, BatchRun.EXIT_USAGE, BatchRun.EXIT_FAILED, BatchRun.EXIT_UNAVAILABLE,
                BatchRun.EXIT_STORE, BatchRun.EXIT_HUNG_UP, BatchRun.EXIT_INTERRUPTED})
final class RunCommand extends BatchRun {

    @Mixin
    private OutputOptions outputs;

    @Override
    OutputOptions outputOptions() {
        return outputs;
    }

    @Mixin
    private BatchOptions batch;

    @Option(names = "--resume", paramLabel = "RUN_ID", arity = "0..1", fallbackValue = LATEST, preprocessor = BareResume.class,
            description = {"Take up an earlier run of this batch (the latest one, or RUN_ID): sets that succeeded there are not run"
                    + " again, their results go into this run's report; the others run (see --resume-policy). Workers it left"
                    + " running are stopped first; a Java worker's result its Boss never recorded is adopted."})
    private String resume;

    @Option(names = "--resume-policy", paramLabel = "POLICY",
            description = "With --resume, what to do with the earlier run's sets, by how they ended: OUTCOME=skip|rerun, comma-separated"
                    + " (outcomes: succeeded, failed, crashed, killed, cancelled, timed_out, memory_exceeded, interrupted, never_started)."
                    + " Default: succeeded=skip, everything else rerun.")
    private String resumePolicy;

    @Option(names = "--ui",
            description = "Serve the run's web page while it runs (live counts, timeline, failures, controls) on 127.0.0.1 at a"
                    + " free port: its address is printed, its token is in the address file named beside it.")
    private boolean ui;

    /** The server of the web page with --ui; null without. */
    private TaylorismServer server;

    /** The value of a bare {@code --resume}: the latest run of the batch. */
    private static final String LATEST = " latest";

    /**
     * Tells {@code --resume BATCH} (the latest run of BATCH) from {@code --resume RUN_ID}: what follows a bare
     * {@code --resume} is its RUN_ID unless it is an option, standard input ({@code -}) or an existing file.
     */
    static final class BareResume implements CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec option, Map<String, Object> info) {
            if (!" ".equals(info.get("separator"))) {
                return false; // --resume=RUN_ID
            }
            String next = args.isEmpty() ? null : args.peek();
            if (next == null || next.startsWith("-") || Files.exists(Path.of(next))) {
                args.push(LATEST); // as if --resume=LATEST
            }
            return false;
        }
    }

    /** The rest of a big JSON Lines batch, read as the run goes; null when the batch is read whole. */
    private StreamedBatch streamed;

    @Override
    List<Map<String, Object>> sets(JdbcRunStore store) {
        // A resumed run matches the earlier run's sets as a whole, and --keep-order prints in the order of every set.
        if (resume == null && (outputs == null || !outputs.keepOrder)) {
            streamed = batch.streamed();
            if (streamed != null) {
                return streamed.next(streamed.part());
            }
        }
        return batch.read(System.in);
    }

    @Override
    StreamedBatch streamedRest() {
        return streamed;
    }

    @Override
    String source() {
        return batch.source();
    }

    @Override
    void resume(Boss.Builder builder, JdbcRunStore store) {
        if (resume == null) {
            if (resumePolicy != null) {
                throw new BadInputException("--resume-policy needs --resume");
            }
            return;
        }
        ResumePolicy policy = resumePolicyOf(resumePolicy);
        if (!resume.equals(LATEST)) {
            builder.resume(store.resolve(resume), policy);
        } else if (source().equals("-")) {
            throw new BadInputException("--resume without a RUN_ID takes up the latest run of the batch file; a batch on standard"
                    + " input has none: give the run's id (taylorism runs lists them)");
        } else {
            builder.resumeLatest(policy);
        }
    }

    @Override
    void serveWith(Boss.Builder builder) {
        if (ui) {
            server = TaylorismServer.create(ServerOptions.local("run-" + ProcessHandle.current().pid()));
            builder.listener(server.listener());
        }
    }

    @Override
    AutoCloseable serve(Boss boss, RunStore store) throws IOException {
        if (server == null) {
            return () -> { };
        }
        server.start(boss, new SchedulerSettings(scheduling.chosenName(), scheduling.chosenOptions(), workers.loader(),
                haltPolicy(), retryPolicy()), store);
        if (store instanceof JdbcRunStore recorded) {
            recorded.observeWrites(server.storeWriteObserver());
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("taylorism: web page " + server.address().url().resolve("/ui/") + " while the run goes on (its token is in "
                + server.addressFile() + ")");
        err.flush();
        return server;
    }

    @Override
    public Integer call() {
        if (resume != null && noStore) {
            throw new BadInputException("--resume takes up a run of the run store; it cannot go with --no-store");
        }
        return super.call();
    }
}
