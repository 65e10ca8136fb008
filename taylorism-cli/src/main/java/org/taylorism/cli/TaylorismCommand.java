package org.taylorism.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The {@code taylorism} command. */
@Command(name = "taylorism",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        description = "Runs batches of independent workers, each in its own process.",
        subcommands = {RunCommand.class, RetryFailedCommand.class, ExplainCommand.class, RunsCommand.class, ShowCommand.class, ExportCommand.class, TimelineCommand.class, GcCommand.class,
                ServeCommand.class, SubmitCommand.class, StatusCommand.class, WatchCommand.class, ReportCommand.class, SignalCommand.class,
                CancelCommand.class, SetCommand.class,
                WorkersCommand.class, SchedulersCommand.class, LaunchersCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every worker succeeded",
                "1:internal error",
                "2:bad input or usage",
                "3:some workers failed, crashed or were killed, or sets never ran",
                "4:the launcher's cluster cannot be used (Slurm's commands missing, its controller not answering), or no server answers",
                "5:the run store cannot be used (opened, read or written)",
                "129:its terminal hung up (SIGHUP): running workers killed, the report written",
                "130:interrupted (Ctrl-C or SIGTERM)"})
public final class TaylorismCommand implements Callable<Integer> {

    /** Exit code of a run in which some worker did not succeed. */
    static final int SOME_WORKERS_FAILED = 3;

    /** Exit code when the launcher's cluster cannot be used. */
    static final int UNAVAILABLE = 4;

    /** Exit code when the run store cannot be opened, read or written. */
    static final int STORE_UNAVAILABLE = 5;

    /** Exit code of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
    static final int INTERRUPTED = 130;

    /** Exit code of a run stopped because its terminal hung up (128 + SIGHUP). */
    static final int HUNG_UP = 129;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("A subcommand is needed.");
        spec.commandLine().usage(err);
        return CommandLine.ExitCode.USAGE;
    }

    /** The command line with taylorism's error handling: one-line messages, exit 2 for bad input. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new TaylorismCommand());
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(ErrorHandler::badOption);
        commandLine.setExitCodeExceptionMapper(ErrorHandler::exitCode);
        return commandLine;
    }

    public static void main(String[] args) {
        // The JDK launches processes faster with vfork before JDK 21 (1.4 instead of 2.6 ms), where no spawner
        // runs; it is a JVM-wide setting, so the library leaves it to the application, which this is.
        if (System.getProperty("jdk.lang.Process.launchMechanism") == null && Runtime.version().feature() < 21) {
            System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
        }
        CommandLine commandLine = commandLine();
        commandLine.setOut(new ByteWriter(System.out));
        commandLine.setErr(new ByteWriter(System.err));
        System.exit(commandLine.execute(args));
    }
}
