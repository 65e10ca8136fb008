package org.taylorism.benchmarks;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.taylorism.Attribute;
import org.taylorism.Worker;

/** The Java workers of the {@link FaultMatrix}: each goes wrong in one way, or (Echo) not at all. */
public final class FaultWorkers {

    private FaultWorkers() {
    }

    /** The healthy neighbour: returns its message. */
    public static final class Echo extends Worker {
        @Attribute
        String echo;

        @Override
        protected Object task() {
            return echo;
        }
    }

    /** Goes wrong as {@code fault} says; {@code mark} tags any process it leaves behind. */
    public static final class Faulty extends Worker {
        @Attribute
        String fault;

        @Attribute
        String mark;

        @Override
        protected Object task() throws Exception {
            switch (fault) {
                case "exception" -> throw new IllegalStateException("a fault of the matrix");
                case "exit-7" -> System.exit(7);
                case "halt" -> Runtime.getRuntime().halt(0);
                case "oom" -> {
                    List<long[]> hog = new ArrayList<>();
                    while (true) {
                        hog.add(new long[1 << 20]);
                    }
                }
                case "close-stdin" -> {
                    new FileInputStream(FileDescriptor.in).close();
                    Thread.sleep(1000); // the work it goes on with
                    return "still here";
                }
                case "big-result" -> {
                    return "x".repeat(25_000_000);
                }
                case "fifo-result" -> {
                    List<String> arguments = List.of(ProcessHandle.current().info().arguments().orElseThrow());
                    String taskFile = Files.readString(Path.of(arguments.get(arguments.size() - 1)));
                    int at = taskFile.indexOf("\"resultFile\":\"") + "\"resultFile\":\"".length();
                    String result = taskFile.substring(at, taskFile.indexOf('"', at));
                    new ProcessBuilder("mkfifo", result).inheritIO().start().waitFor();
                    Runtime.getRuntime().halt(0);
                }
                case "daemon" -> {
                    ProcessBuilder daemon = new ProcessBuilder("setsid", "sleep", "600").redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                    daemon.environment().put(FaultMatrix.MARK_VARIABLE, mark);
                    daemon.start();
                    return "left a daemon";
                }
                default -> throw new IllegalArgumentException("no fault '" + fault + "'");
            }
            return null;
        }
    }
}
