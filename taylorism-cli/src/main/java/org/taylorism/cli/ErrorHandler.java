package org.taylorism.cli;

import org.taylorism.InstructionsException;
import org.taylorism.RunStoreException;
import org.taylorism.client.ServerException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/** Errors as one line on stderr (the stack trace too with {@code -v}), and their exit codes. */
final class ErrorHandler implements IExecutionExceptionHandler {

    static int exitCode(Throwable error) {
        if (error instanceof UnavailableException) {
            return TaylorismCommand.UNAVAILABLE;
        }
        if (error instanceof ServerException refused) {
            // No answer: the server is not there. A refusal: what was asked (or the token) was wrong.
            return refused.status() == 0 ? TaylorismCommand.UNAVAILABLE
                    : refused.status() < 500 ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        }
        if (error instanceof RunStoreException) {
            return TaylorismCommand.STORE_UNAVAILABLE;
        }
        return isBadInput(error) ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
    }

    private static boolean isBadInput(Throwable error) {
        return error instanceof BadInputException || error instanceof InstructionsException
                || error instanceof CommandLine.ParameterException;
    }

    /** Where a store cannot be used, the options that choose another or none. */
    private static String storeHint(Exception error, ParseResult parseResult) {
        if (!(error instanceof RunStoreException) || parseResult.subcommand() == null) {
            return "";
        }
        CommandLine.Model.CommandSpec command = parseResult.subcommand().commandSpec();
        if (command.findOption("--no-store") != null) {
            return " (another store: --store PATH; none: --no-store)";
        }
        return command.findOption("--store") != null ? " (another store: --store PATH)" : "";
    }

    /**
     * A bad option or argument: its one line, and where the options are listed, not the whole usage (which buried
     * the line under a hundred others).
     */
    static int badOption(CommandLine.ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        command.getErr().println(command.getColorScheme().errorText("taylorism: " + error.getMessage()));
        command.getErr().println("(taylorism " + (command.getCommandName().equals("taylorism") ? "" : command.getCommandName() + " ")
                + "--help lists the options)");
        command.getErr().flush();
        return CommandLine.ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception error, CommandLine commandLine, ParseResult parseResult) {
        boolean verbose = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("-v");
        boolean known = isBadInput(error) || error instanceof UnavailableException || error instanceof RunStoreException
                || error instanceof ServerException;
        String prefix = known ? "taylorism: " : "taylorism: internal error: ";
        commandLine.getErr().println(commandLine.getColorScheme().errorText(prefix + error.getMessage() + storeHint(error, parseResult)));
        if (verbose || !known && System.getenv("TAYLORISM_DEBUG") != null) {
            error.printStackTrace(commandLine.getErr());
        } else if (!known) {
            commandLine.getErr().println("(run with -v for the stack trace)");
        }
        commandLine.getErr().flush();
        return exitCode(error);
    }
}
