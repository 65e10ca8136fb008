package org.taylorism.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taylorism.Attribute;
import org.taylorism.Footprint;
import org.taylorism.Priority;
import org.taylorism.Worker;

/** Small workers for the tests, each doing one thing in its own JVM. */
public final class TestWorkers {

    private TestWorkers() {
    }

    /** An instruction set of {@link Echo} called {@code name}, with more attributes given as key, value, key, value... */
    public static Map<String, Object> echoSet(String name, Object... keyValues) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("message", "m");
        set.put("name", name);
        for (int i = 0; i < keyValues.length; i += 2) {
            set.put((String) keyValues[i], keyValues[i + 1]);
        }
        return set;
    }

    /** Returns its message, with its ticket. */
    public static class Echo extends Worker {
        @Attribute
        private String message;

        @Attribute(optional = true)
        private List<Integer> numbers;

        @Override
        protected Object task() {
            return Map.of("message", message, "ticket", ticket(), "numbers", numbers == null ? List.of() : numbers);
        }
    }

    /** Throws an IllegalStateException with its message, caused by an ArithmeticException. */
    public static class Thrower extends Worker {
        @Attribute
        private String failWith;

        @Override
        protected Object task() {
            throw new IllegalStateException(failWith, new ArithmeticException("root cause"));
        }
    }

    /** Writes to stderr and exits with its code, without a result. */
    public static class Exiter extends Worker {
        @Attribute
        private int exitCode;

        @Override
        protected Object task() {
            System.err.println("about to exit with " + exitCode);
            System.exit(exitCode);
            return null;
        }
    }

    /** Kills its own JVM with SIGKILL. */
    public static class SelfKiller extends Worker {
        @Attribute
        private boolean killMyself;

        @Override
        protected Object task() throws Exception {
            System.err.println("killing myself");
            System.err.flush();
            // The JVM refuses destroy() on itself; a SIGKILL from outside is what a crash looks like anyway.
            new ProcessBuilder("kill", "-KILL", String.valueOf(ProcessHandle.current().pid())).inheritIO().start().waitFor();
            return "still alive?";
        }
    }

    /** Writes that many MiB to stdout. */
    public static class Chatter extends Worker {
        @Attribute
        private int megabytes;

        @Override
        protected Object task() {
            byte[] line = ("x".repeat(1023) + "\n").getBytes();
            for (int i = 0; i < megabytes * 1024; i++) {
                System.out.write(line, 0, line.length);
            }
            System.out.flush();
            return megabytes;
        }
    }

    /** Returns an object Jackson cannot write. */
    public static class Unserialisable extends Worker {
        @Attribute
        private boolean unserialisable;

        @Override
        protected Object task() {
            return new Object();
        }
    }

    /** A base class of a worker's own, with a private attribute field (no two attribute fields can share a name). */
    public abstract static class Primer extends Worker {
        @Attribute(name = "primer", optional = true)
        private String undercoat;

        protected String primer() {
            return undercoat == null ? "none" : undercoat;
        }
    }

    /** Attributes of every kind a footprint can give: renamed, aliased, an enum, a path, a default, inherited. */
    public static class Painter extends Primer {
        /** A colour. */
        public enum Shade { RED, GREEN }

        @Attribute(name = "colour", aliases = "color")
        private Shade shade;

        @Attribute
        private java.nio.file.Path canvas;

        @Attribute(defaultValue = "3")
        private int coats;

        @Override
        protected Object task() {
            return Map.of("shade", shade.name(), "canvas", canvas.getFileName().toString(), "coats", coats, "name", name(), "primer", primer());
        }
    }

    /** Returns a map that contains itself: no JSON writer can write it. */
    public static class SelfContaining extends Worker {
        @Attribute
        private boolean selfContaining;

        @Override
        protected Object task() {
            Map<String, Object> itself = new java.util.HashMap<>();
            itself.put("itself", itself);
            return itself;
        }
    }

    /** Returns a record, which only the databind mapper writes. */
    public static class Pairer extends Worker {
        @Attribute
        private String left;

        @Attribute
        private int right;

        /** The result. */
        public record Pair(String left, int right) {
        }

        @Override
        protected Object task() {
            return new Pair(left, right);
        }
    }

    /** Runs until its gate file exists (polled: the wait is the workload), then returns its pid. */
    public static class Gated extends Worker {
        @Attribute
        private Path gateFile;

        @Override
        protected Object task() throws InterruptedException {
            while (!Files.exists(gateFile)) {
                Thread.sleep(10);
            }
            return ProcessHandle.current().pid();
        }
    }

    /** Sleeps: the sleep is the workload. Writes its pid to stdout first. */
    public static class Nap extends Worker {
        @Attribute
        private double napSeconds;

        @Override
        protected Object task() throws InterruptedException {
            System.out.println(ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep((long) (napSeconds * 1000));
            return napSeconds;
        }
    }

    /** Starts a daemon in a session of its own ({@code setsid}) that sleeps {@code daemon_seconds}; returns its pid. */
    public static class DaemonStarter extends Worker {
        @Attribute
        private long daemonSeconds;

        @Override
        protected Object task() throws Exception {
            Process daemon = new ProcessBuilder("setsid", "sh", "-c", "echo $$; exec sleep " + daemonSeconds)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // Its first line is its pid: read once it is written, the daemon running on.
            return new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))
                    .readLine().strip();
        }
    }

    /** Closes its JVM's standard input, as a task may, then works (sleeps) three seconds and returns. */
    public static class StdinCloser extends Worker {
        @Attribute
        private String closeStdin;

        @Override
        protected Object task() throws java.io.IOException, InterruptedException {
            new java.io.FileInputStream(java.io.FileDescriptor.in).close();
            Thread.sleep(3000);
            return closeStdin;
        }
    }

    /** Starts a program that reads its standard input, inherited from this JVM, to its end; returns its exit code. */
    public static class StdinReader extends Worker {
        @Attribute
        private String program;

        @Override
        protected Object task() throws java.io.IOException, InterruptedException {
            return new ProcessBuilder(program).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
    }

    /** Allocates and touches that many MiB, holds them long enough to be sampled, and returns. */
    public static class Hog extends Worker {
        @Attribute
        private int hogMegabytes;

        @Override
        protected Object task() throws InterruptedException {
            byte[][] blocks = new byte[hogMegabytes][];
            for (int i = 0; i < hogMegabytes; i++) {
                blocks[i] = new byte[1024 * 1024];
                for (int page = 0; page < blocks[i].length; page += 4096) {
                    blocks[i][page] = 1;
                }
            }
            Thread.sleep(1500); // the workload: stay big while the Boss samples
            return blocks.length;
        }
    }

    /** Returns a string of {@code big_megabytes} million characters: more than a JSON parser takes by default. */
    public static class Big extends Worker {
        @Attribute
        private int bigMegabytes;

        @Override
        protected Object task() {
            return "x".repeat(bigMegabytes * 1_000_000);
        }
    }

    /**
     * Leaves, where its result should be, what a hostile worker would ({@code trick}: {@code fifo}, a named pipe
     * nobody writes; {@code link}, a symbolic link to {@code /dev/zero}), then halts its JVM with exit code 0.
     */
    public static class Trickster extends Worker {
        @Attribute
        private String trick;

        @Override
        protected Object task() throws Exception {
            List<String> arguments = List.of(ProcessHandle.current().info().arguments().orElseThrow());
            String taskFile = Files.readString(Path.of(arguments.get(arguments.size() - 1)));
            Path result = Path.of(org.taylorism.internal.Json.MAPPER.readTree(taskFile).get("resultFile").asText());
            if (trick.equals("fifo")) {
                new ProcessBuilder("mkfifo", result.toString()).inheritIO().start().waitFor();
            } else {
                Files.createSymbolicLink(result, Path.of("/dev/zero"));
            }
            Runtime.getRuntime().halt(0);
            return null;
        }
    }

    /** Sums the numbers it is given, which may come from a file reference. */
    public static class Summer extends Worker {
        @Attribute
        private List<Double> addends;

        @Override
        protected Object task() {
            return addends.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** A toolbox worker: wins over Echo on the same attributes. */
    @Footprint(name = "loud-echo", priority = Priority.TOOLBOX)
    public static class LoudEcho extends Worker {
        @Attribute
        private String message;

        @Attribute(values = {"loud", "louder"})
        private String volume;

        @Override
        protected Object task() {
            return message.toUpperCase();
        }
    }

    /** Writes straight to file descriptor 1, past System.out (as native code would), then returns "done". */
    public static class RawStdout extends Worker {
        @Attribute
        private String raw;

        @Override
        protected Object task() throws java.io.IOException {
            java.io.FileOutputStream out = new java.io.FileOutputStream(java.io.FileDescriptor.out);
            out.write((raw + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            return "done";
        }
    }
}
