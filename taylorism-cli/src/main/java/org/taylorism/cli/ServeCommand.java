package org.taylorism.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.taylorism.Boss;
import org.taylorism.Report;
import org.taylorism.ResumePolicy;
import org.taylorism.client.SubmittedBatch;
import org.taylorism.server.SchedulerSettings;
import org.taylorism.server.ServerOptions;
import org.taylorism.server.TaylorismServer;
import org.taylorism.spi.PriorSet;
import org.taylorism.spi.RunStore;
import org.taylorism.store.JdbcRunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taylorism serve}: one Boss as a long-lived server that other processes submit batches to, watch and steer
 * over HTTP ({@code taylorism submit}, {@code status}, {@code watch}..., or the API). Runs until a client sends END
 * (what was submitted runs, then it ends), STOP or STOP_RIGHTNOW, or Ctrl-C.
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = {"Runs a Boss as a server: other processes submit batches to it (taylorism submit), watch it (status, watch,"
                + " report) and steer it (signal, cancel, set), over an HTTP/JSON API behind a token.",
                "It listens on 127.0.0.1 (another address needs --tls-keystore) and writes its address and token, readable by you"
                        + " only, to $XDG_RUNTIME_DIR/taylorism/servers/NAME.json, where local clients find them.",
                "Like run, it keeps going when sets fail (--policy or --halt say otherwise).",
                "It ends when a client sends END (once what was submitted has run), STOP or STOP_RIGHTNOW, or on Ctrl-C; the report"
                        + " of everything it ran is written then."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {BatchRun.EXIT_OK, BatchRun.EXIT_INTERNAL, BatchRun.EXIT_USAGE, BatchRun.EXIT_FAILED, BatchRun.EXIT_UNAVAILABLE,
                BatchRun.EXIT_STORE, BatchRun.EXIT_HUNG_UP, BatchRun.EXIT_INTERRUPTED})
final class ServeCommand extends BatchRun {

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "default",
            description = "The server's name, by which local clients find it (default: ${DEFAULT-VALUE}).")
    private String name;

    @Option(names = "--listen", paramLabel = "[HOST:]PORT", defaultValue = "127.0.0.1:0",
            description = "Where to listen (default: ${DEFAULT-VALUE}, any free port on this machine only). Another address"
                    + " than the loopback one needs --tls-keystore.")
    private String listen;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve HTTPS with the key and certificate of this PKCS#12 or JKS key store; its password is read from"
                    + " --tls-password-file or the TAYLORISM_TLS_PASSWORD environment variable, never from the command line.")
    private Path keystore;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "The file holding the key store's password.")
    private Path passwordFile;

    @Option(names = "--retain-results", paramLabel = "N", defaultValue = "100000",
            description = {"Hold the reports of at most N ended sets in memory (default: ${DEFAULT-VALUE}), the latest; older ones"
                    + " are read back from the run store when a client asks for them (with --no-store they are counted, not"
                    + " listed)."})
    private int retainResults;

    @Option(names = "--retain-for", paramLabel = "AGE", defaultValue = "10m", converter = GcCommand.AgeConverter.class,
            description = "Hold no report of an ended set in memory longer than AGE, such as 90s, 10m, 2h (default: ${DEFAULT-VALUE}).")
    private Duration retainFor;

    @Option(names = "--no-command-worker",
            description = "Refuse sets that name a program to run (the built-in command worker): only the worker classes on the"
                    + " class path run.")
    private boolean noCommandWorker;

    @Option(names = "--resume", paramLabel = "RUN_ID", arity = "0..1", fallbackValue = LATEST,
            description = {"Take up an earlier run of this server (the latest one of its name, or RUN_ID), after it was stopped or"
                    + " killed: its sets are submitted again as batch b1, those that succeeded are not run again (their reports"
                    + " are carried over), the others run (see --resume-policy)."})
    private String resume;

    @Option(names = "--resume-policy", paramLabel = "POLICY",
            description = "With --resume, what to do with the earlier run's sets, by how they ended (as run's --resume-policy).")
    private String resumePolicy;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Live settings in a TOML file (max_threads = 8, max_memory = \"16G\", resources, halt, retries,"
                    + " [scheduler_options]), read at start (it wins over the options) and again at each edit; a bad edit is"
                    + " logged, naming its line, and changes nothing.")
    private Path config;

    private static final String LATEST = " latest";

    private TaylorismServer server;
    /** The earlier run's sets, submitted again once the server listens; empty unless --resume. */
    private List<Map<String, Object>> resumedSets = List.of();

    @Override
    List<Map<String, Object>> sets(JdbcRunStore store) {
        return List.of();
    }

    @Override
    String source() {
        return "serve " + name;
    }

    @Override
    void resume(Boss.Builder builder, JdbcRunStore store) {
        if (resume == null) {
            if (resumePolicy != null) {
                throw new BadInputException("--resume-policy needs --resume");
            }
            return; // a server starts empty: its batches come from its clients
        }
        ResumePolicy policy = resumePolicyOf(resumePolicy);
        String runId = !resume.equals(LATEST) ? store.resolve(resume) : store.latestRunOf(source()).orElseThrow(
                () -> new BadInputException("no earlier run of server '" + name + "' in the run store to resume (taylorism runs lists them)"));
        builder.resume(runId, policy);
        List<Map<String, Object>> sets = new ArrayList<>();
        for (PriorSet set : store.prior(runId).sets().values()) {
            if (set.parent() == null) {
                sets.add(set.instructions()); // a sub-task is its parent's to submit again, if its parent runs again
            }
        }
        resumedSets = sets;
    }

    @Override
    public Integer call() {
        if (resume != null && noStore) {
            throw new BadInputException("--resume takes up a run of the run store; it cannot go with --no-store");
        }
        return super.call();
    }

    @Override
    boolean runsCommands() {
        return !noCommandWorker;
    }

    @Override
    boolean showsProgress() {
        return false;
    }

    @Override
    boolean served() {
        return true;
    }

    @Override
    void serveWith(Boss.Builder builder) {
        if (retainResults < 0) {
            throw new BadInputException("--retain-results must be 0 or more, not " + retainResults);
        }
        if (server == null) {
            server = TaylorismServer.create(options());
        }
        builder.listener(server.listener()).subTaskChannel(server.subTaskChannel()).retainEnded(retainResults, retainFor);
    }

    @Override
    AutoCloseable serve(Boss boss, RunStore store) {
        SchedulerSettings settings = new SchedulerSettings(scheduling.chosenName(), scheduling.chosenOptions(), workers.loader(),
                haltPolicy(), retryPolicy());
        try {
            server.start(boss, settings, store);
        } catch (IOException | IllegalStateException e) {
            throw new BadInputException("cannot serve on " + listen + ": " + e.getMessage(), e);
        }
        if (config != null) {
            try {
                server.watchSettings(config);
            } catch (IOException | IllegalArgumentException e) {
                server.close(); // it is not closed with the run: it was never handed over
                throw new BadInputException("--config: " + e.getMessage(), e);
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("taylorism: serving on " + server.address().url() + " as '" + name + "'; its address and token are in "
                + server.addressFile() + " (taylorism submit BATCH" + (name.equals("default") ? "" : " --name " + name) + ")");
        err.println("taylorism: web page " + server.address().url().resolve("/ui/") + " (it asks for the token); metrics "
                + server.address().url().resolve("/metrics") + " (with the token)");
        if (store instanceof JdbcRunStore recorded) {
            recorded.observeWrites(server.storeWriteObserver());
        }
        if (!resumedSets.isEmpty()) {
            SubmittedBatch batch = server.submit(resumedSets);
            err.println("taylorism: the earlier run's " + batch.names().size() + " sets are batch " + batch.id());
        }
        err.flush();
        return server;
    }

    @Override
    Report awaitReport(Boss boss) {
        return boss.finalReport().join();
    }

    private ServerOptions options() {
        try {
            // TLS first: an address beyond the loopback one is refused without it.
            ServerOptions options = ServerOptions.local(name);
            if (keystore != null) {
                options = options.withTls(keystore, password());
            }
            return options.listeningOn(address());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage() + (keystore == null ? " (--tls-keystore FILE)" : ""), e);
        }
    }

    private InetSocketAddress address() {
        int colon = listen.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : listen.substring(0, colon).replaceAll("^\\[|]$", "");
        String port = colon < 0 ? listen : listen.substring(colon + 1);
        try {
            int number = Integer.parseInt(port);
            if (number < 0 || number > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "127.0.0.1" : host), number);
        } catch (NumberFormatException e) {
            throw new BadInputException("--listen '" + listen + "': the port is not a number from 0 to 65535");
        } catch (UnknownHostException e) {
            throw new BadInputException("--listen '" + listen + "': no such host '" + host + "'");
        }
    }

    private char[] password() {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
            } catch (IOException e) {
                throw new BadInputException("--tls-password-file " + passwordFile + " cannot be read: " + e.getMessage());
            }
        }
        String fromEnvironment = System.getenv("TAYLORISM_TLS_PASSWORD");
        if (fromEnvironment == null) {
            throw new BadInputException("--tls-keystore needs its password: --tls-password-file FILE, or TAYLORISM_TLS_PASSWORD");
        }
        return fromEnvironment.toCharArray();
    }
}
