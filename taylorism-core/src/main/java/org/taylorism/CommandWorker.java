package org.taylorism;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The built-in worker that runs an external program: {@code {"command": ["gzip", "-k", "[file]"], "file": "a.txt"}}.
 *
 * <p>The process launched is the program itself (no JVM, no shell), with {@code [attr]} substitution in
 * every element of {@code command}, the extra environment variables of {@code env} and the working
 * directory {@code cwd}. Exit code 0 is success; any other code fails the worker. Its standard output and
 * error go to the worker's files like any worker's.
 */
@Footprint(name = "command", info = "Runs an external program; exit code 0 is success.")
public class CommandWorker extends Worker {

    @Attribute(info = "The program and its arguments, e.g. [\"gzip\", \"-k\", \"[file]\"].")
    private List<String> command;

    @Attribute(optional = true, info = "Environment variables added to the Boss's environment.")
    private Map<String, String> env;

    @Attribute(optional = true, info = "Working directory of the program.")
    private Path cwd;

    public List<String> command() {
        return command;
    }

    public Map<String, String> env() {
        return env == null ? Map.of() : env;
    }

    public Path cwd() {
        return cwd;
    }

    /**
     * Runs the program from within a Java worker process (used when a launcher runs every worker in a JVM);
     * the local launcher starts the program directly instead.
     */
    @Override
    protected Object task() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO().redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env());
        if (cwd != null) {
            builder.directory(cwd.toFile());
        }
        int exitCode = builder.start().waitFor();
        if (exitCode != 0) {
            throw new CommandFailedException(command, exitCode);
        }
        return null;
    }

    /** A program that exited with a code other than 0. */
    public static final class CommandFailedException extends TaylorismException {
        public CommandFailedException(List<String> command, int exitCode) {
            super("command " + command + " exited with code " + exitCode);
        }
    }
}
