package org.taylorism.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taylorism.InstructionsException;
import org.taylorism.Scheduler;
import org.taylorism.SchedulingDecision;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code taylorism explain BATCH}: what would run, and why not, without running anything. */
@Command(name = "explain",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        sortOptions = false,
        description = {"Dry run: for each instruction set, the worker class it matches with its resolved attributes, or why"
                + " each candidate class rejected it; keys no attribute reads; and what the scheduler would launch first."
                + " Launches nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every set matches a worker class", "1:internal error, or the scheduler failed",
                "2:some set matches nothing, or bad input"})
final class ExplainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private BatchOptions batch;

    @Mixin
    private SchedulingOptions scheduling;

    @Mixin
    private WorkerOptions workers;

    @Option(names = "--json", description = "Write the explanation as JSON.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> sets = batch.read(System.in);
        WorkerRegistry registry = workers.registry();
        Scheduler scheduler = scheduling.scheduler(workers.loader());
        List<Map<String, Object>> explained = new ArrayList<>();
        boolean allMatch = true;
        for (int i = 0; i < sets.size(); i++) {
            WorkerRegistry.Explanation explanation = registry.explain(sets.get(i));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("set", i + 1);
            entry.put("instructions", sets.get(i));
            WorkerRegistry.Match match = explanation.match();
            if (match == null) {
                allMatch = false;
                entry.put("worker", null);
            } else {
                entry.put("worker", match.type().name());
                Map<String, Object> values = new LinkedHashMap<>();
                match.values().forEach((key, value) -> values.put(key, value instanceof Path || value instanceof Enum<?> ? value.toString() : value));
                entry.put("values", values);
                if (!match.unknownKeys().isEmpty()) {
                    entry.put("unknownKeys", match.unknownKeys());
                }
                if (!match.tiedWith().isEmpty()) {
                    entry.put("tiedWith", match.tiedWith().stream().map(WorkerType::name).toList());
                }
            }
            entry.put("rejected", explanation.rejections());
            explained.add(entry);
        }
        Map<String, Object> firstRound = allMatch ? firstRound(sets, registry, scheduler) : null;
        List<SchedulingDecision.FlowStep> flow = allMatch ? SchedulingDecision.flow(registry, sets) : List.of();
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("scheduler", scheduler.name());
            document.put("sets", explained);
            if (firstRound != null) {
                document.put("firstRound", firstRound);
            }
            if (flow.stream().anyMatch(step -> step.waitsFor() != null)) {
                document.put("flow", flow);
            }
            JsonOutput.print(out, document);
        } else {
            printText(out, explained, scheduler, firstRound);
            printFlow(out, flow);
        }
        out.flush();
        if (!allMatch) {
            return CommandLine.ExitCode.USAGE;
        }
        return firstRound.containsKey("error") ? CommandLine.ExitCode.SOFTWARE : CommandLine.ExitCode.OK;
    }

    private static void printText(PrintWriter out, List<Map<String, Object>> explained, Scheduler scheduler, Map<String, Object> firstRound) {
        for (Map<String, Object> entry : explained) {
            Object worker = entry.get("worker");
            out.println("instruction set #" + entry.get("set") + " " + entry.get("instructions"));
            if (worker == null) {
                out.println("  matches no worker class:");
            } else {
                out.println("  worker: " + worker + "  " + entry.get("values"));
                if (entry.containsKey("unknownKeys")) {
                    out.println("  keys no attribute reads (typos?): " + entry.get("unknownKeys"));
                }
                if (entry.containsKey("tiedWith")) {
                    out.println("  tie: chosen over " + entry.get("tiedWith") + " by class name");
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, List<String>> rejected = (Map<String, List<String>>) entry.get("rejected");
            rejected.forEach((name, reasons) -> out.println("    " + (worker == null ? "" : "not ") + name + ": " + String.join("; ", reasons)));
        }
        out.println();
        out.println("scheduler: " + scheduler.name());
        if (firstRound == null) {
            out.println("nothing would run: some sets match no worker class");
            return;
        }
        if (firstRound.containsKey("error")) {
            out.println("nothing would run: the " + firstRound.get("error"));
            return;
        }
        out.println("would launch first: " + firstRound.get("launch"));
        @SuppressWarnings("unchecked")
        List<Map<String, String>> waiting = (List<Map<String, String>>) firstRound.get("wait");
        for (Map<String, String> wait : waiting) {
            out.println("  " + wait.get("name") + " waits: " + wait.get("reason"));
        }
        @SuppressWarnings("unchecked")
        List<Map<String, String>> refused = (List<Map<String, String>>) firstRound.get("reject");
        for (Map<String, String> reject : refused) {
            out.println("  " + reject.get("name") + " would be rejected: " + reject.get("reason"));
        }
    }

    /**
     * The flow, stage by stage, when some set waits for others:
     * <pre>
     * flow (sets wait for those of earlier stages):
     *   stage 1:
     *     prepare
     *   stage 2:
     *     sim-1, sim-2  <- prepare succeeded
     *   stage 3:
     *     merge  <- sim-1, sim-2 succeeded
     * </pre>
     */
    private static void printFlow(PrintWriter out, List<SchedulingDecision.FlowStep> flow) {
        if (flow.stream().noneMatch(step -> step.waitsFor() != null)) {
            return;
        }
        out.println();
        out.println("flow (each set waits for sets of earlier stages):");
        Map<Integer, List<SchedulingDecision.FlowStep>> byStage = new java.util.TreeMap<>();
        flow.forEach(step -> byStage.computeIfAbsent(step.stage(), stage -> new ArrayList<>()).add(step));
        byStage.forEach((stage, steps) -> {
            out.println("  stage " + stage + ":");
            // Sets that wait for the same thing are listed together.
            Map<String, List<String>> byCondition = new LinkedHashMap<>();
            steps.forEach(step -> byCondition.computeIfAbsent(step.waitsFor() == null ? "" : step.waitsFor(), key -> new ArrayList<>())
                    .add(Terminal.printable(step.name())));
            byCondition.forEach((condition, names) -> out.println("    " + shortList(names)
                    + (condition.isEmpty() ? "" : "  <- " + Terminal.printable(condition))));
        });
    }

    private static String shortList(List<String> names) {
        return names.size() <= 6 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + ", ... (" + names.size() + " sets)";
    }

    /** The scheduler's first decision, made as a Boss makes it, launching nothing. */
    private static Map<String, Object> firstRound(List<Map<String, Object>> sets, WorkerRegistry registry, Scheduler scheduler) {
        Map<String, Object> round = new LinkedHashMap<>();
        SchedulingDecision decision;
        try {
            decision = SchedulingDecision.firstRound(scheduler, registry, sets);
        } catch (InstructionsException badInput) {
            throw badInput; // a bad value (a timeout of 0, an unreadable not_before): exit 2, naming the set
        } catch (RuntimeException | LinkageError e) {
            round.put("error", "scheduler " + scheduler.name() + " failed: " + e);
            return round;
        }
        round.put("launch", decision.launchedNames());
        List<Map<String, String>> waiting = new ArrayList<>();
        for (SchedulingDecision.Waiting wait : decision.waiting()) {
            waiting.add(Map.of("name", wait.task().name(), "reason", wait.reason() == null ? "waits its turn" : wait.reason()));
        }
        round.put("wait", waiting);
        List<Map<String, String>> rejected = new ArrayList<>();
        for (SchedulingDecision.Waiting reject : decision.rejected()) {
            rejected.add(Map.of("name", reject.task().name(), "reason", reject.reason()));
        }
        round.put("reject", rejected);
        return round;
    }
}
