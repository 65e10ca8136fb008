package org.taylorism;

import java.io.PrintStream;
import java.util.Map;
import org.taylorism.internal.Json;

/**
 * The two ways to run a batch in one call, named after the original's helpers.
 *
 * <pre>{@code
 * // Run to the end and print one block per worker:
 * Report report = Taylorism.batchMain(Map.of(), Map.of("sleeping_time", List.of(1, 2)));
 *
 * // Start, add work while it runs, poll interim reports:
 * try (Boss boss = Taylorism.runAsServer(Map.of(), Map.of("sleeping_time", List.of(4, 9)))) {
 *     boss.setInstructions(Map.of(), Map.of("sleeping_time", List.of(1)));
 *     Report interim = boss.getReport(true);
 *     Report done = boss.waitTillFinished();
 * }
 * }</pre>
 */
public final class Taylorism {

    private Taylorism() {
    }

    /** {@link #runAsServer(Map, Map, Boss.Builder)} with the default Boss. */
    public static Boss runAsServer(Map<String, ?> common, Map<String, ?> individual) {
        return runAsServer(common, individual, Boss.builder());
    }

    /** {@link #runAsServer(Map, Map, Boss.Builder)} with the default Boss and this scheduler. */
    public static Boss runAsServer(Map<String, ?> common, Map<String, ?> individual, Scheduler scheduler) {
        return runAsServer(common, individual, Boss.builder().scheduler(scheduler));
    }

    /**
     * Builds a Boss, gives it the instructions and tells it to work. The Boss keeps listening for more
     * instructions until it is told {@link Boss#end()} (or {@link Boss#waitTillFinished()}); close it when done.
     *
     * @throws InstructionsException when the instructions are bad; the Boss is then closed
     */
    public static Boss runAsServer(Map<String, ?> common, Map<String, ?> individual, Boss.Builder builder) {
        Boss boss = builder.build();
        try {
            boss.setInstructions(common, individual);
        } catch (RuntimeException e) {
            boss.close();
            throw e;
        }
        boss.makeThemWork();
        return boss;
    }

    /** {@link #batchMain(Map, Map, Boss.Builder)} with the default Boss. */
    public static Report batchMain(Map<String, ?> common, Map<String, ?> individual) {
        return batchMain(common, individual, Boss.builder());
    }

    /** {@link #batchMain(Map, Map, Boss.Builder)} with the default Boss and this scheduler. */
    public static Report batchMain(Map<String, ?> common, Map<String, ?> individual, Scheduler scheduler) {
        return batchMain(common, individual, Boss.builder().scheduler(scheduler));
    }

    /**
     * Runs the instructions to the end, prints one block per worker to standard output (a {@code =} rule,
     * {@code WORKER NAME: <name>}, a {@code -} rule, then its result or error) and returns the report.
     *
     * @throws WorkerFailedException under fail-fast, after printing every block that ended
     */
    public static Report batchMain(Map<String, ?> common, Map<String, ?> individual, Boss.Builder builder) {
        try (Boss boss = runAsServer(common, individual, builder)) {
            try {
                Report report = boss.waitTillFinished();
                printBlocks(report, System.out);
                return report;
            } catch (RunFailedException e) {
                printBlocks(e.report(), System.out);
                throw e;
            }
        }
    }

    /** Prints one block per worker, as {@link #batchMain} does. */
    public static void printBlocks(Report report, PrintStream out) {
        String thick = "=".repeat(80);
        String thin = "-".repeat(80);
        for (WorkerReport worker : report.workers()) {
            out.println(thick);
            out.println("WORKER NAME: " + worker.name());
            out.println(thin);
            if (worker.error() != null) {
                out.println(worker.status().jsonName() + ": " + (worker.error().stackTrace() != null
                        ? worker.error().stackTrace().strip() : worker.error().oneLine()));
            } else {
                try {
                    out.println(Json.PRETTY.writeValueAsString(worker.result()));
                } catch (java.io.IOException e) {
                    out.println(worker.result());
                }
            }
        }
    }
}
