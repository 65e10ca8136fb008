package org.taylorism.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taylorism.Boss;
import org.taylorism.FailurePolicy;
import org.taylorism.Instructions;
import org.taylorism.Report;
import org.taylorism.RunFailedException;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;
import org.taylorism.spi.SchedulerProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code taylorism run BATCH}: runs a batch file and writes its JSON report. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {"Runs every instruction set of BATCH, each as a worker in its own process, and writes the JSON report.",
                "BATCH is {\"common\": {...}, \"individual\": {\"key\": [...], ...}}, or - for standard input."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every worker succeeded",
                "1:internal error",
                "2:bad input or usage",
                "3:some workers failed, crashed or were killed"})
final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BATCH", description = "The batch file (JSON), or - for standard input.")
    private String batch;

    @Option(names = "--max-threads", paramLabel = "N",
            description = "At most N workers at once; 0 means one per CPU (the default). With --scheduler: its threads option.")
    private Integer maxThreads;

    @Option(names = "--scheduler", paramLabel = "NAME",
            description = "The scheduler, by name (see 'taylorism schedulers'); default max-threads.")
    private String schedulerName;

    @Option(names = "--scheduler-option", paramLabel = "KEY=VALUE",
            description = "An option of the scheduler, e.g. max=4096; repeatable.")
    private Map<String, String> schedulerOptions = new LinkedHashMap<>();

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "fail-fast", converter = PolicyConverter.class,
            description = "fail-fast: stop everything at the first failure; keep-going: run everything (default: ${DEFAULT-VALUE}).")
    private FailurePolicy policy;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report to FILE instead of standard output.")
    private Path reportFile;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Directory for each worker's stdout and stderr files (default: a new directory in the system temp dir).")
    private Path workdir;

    @Option(names = "--classpath", paramLabel = "JARS",
            description = "Jars or directories with more worker classes, separated by ':'.")
    private String classpath;

    @Option(names = "-v", description = "Log every worker's start and end (repeat for debug logs).")
    private boolean[] verbosity = new boolean[0];

    @Override
    public Integer call() throws IOException {
        if (maxThreads != null && maxThreads < 0) {
            throw new BadInputException("--max-threads must be 0 or more, not " + maxThreads);
        }
        PrintWriter err = spec.commandLine().getErr();
        BatchFile.Batch input = BatchFile.read(batch, System.in);
        int total = Instructions.expand(input.common(), input.individual()).size();
        List<Path> extraEntries = classpathEntries();
        ClassLoader loader = extraEntries.isEmpty() ? getClass().getClassLoader() : loaderFor(extraEntries);

        Boss.Builder builder = Boss.builder()
                .scheduler(scheduler(loader))
                .failurePolicy(policy)
                .verbose(verbosity.length > 0)
                .registry(WorkerRegistry.discover(loader))
                .classpath(workerClasspath(extraEntries))
                .listener(new ProgressPrinter(err, total));
        if (workdir != null) {
            builder.runDirectory(workdir);
        }
        Report report;
        try (Boss boss = builder.build()) {
            boss.setInstructions(input.common(), input.individual());
            boss.makeThemWork();
            try {
                report = boss.waitTillFinished();
            } catch (RunFailedException e) {
                report = e.report();
            }
        }
        writeReport(report);
        printSummary(report, err);
        return report.isSuccess() ? CommandLine.ExitCode.OK : TaylorismCommand.SOME_WORKERS_FAILED;
    }

    private Scheduler scheduler(ClassLoader loader) {
        if (schedulerName == null) {
            if (!schedulerOptions.isEmpty()) {
                throw new BadInputException("--scheduler-option needs --scheduler");
            }
            return Scheduler.maxThreads(maxThreads == null ? 0 : maxThreads);
        }
        Map<String, String> options = new LinkedHashMap<>(schedulerOptions);
        if (maxThreads != null) {
            options.putIfAbsent("threads", String.valueOf(maxThreads));
        }
        try {
            return SchedulerProvider.create(schedulerName, options, loader);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    private List<Path> classpathEntries() {
        List<Path> entries = new ArrayList<>();
        if (classpath == null || classpath.isBlank()) {
            return entries;
        }
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath();
            if (!Files.exists(path)) {
                throw new BadInputException("--classpath entry " + entry + " does not exist");
            }
            if (Files.isRegularFile(path) && !entry.endsWith(".jar")) {
                throw new BadInputException("--classpath entry " + entry + " is neither a jar nor a directory");
            }
            entries.add(path);
        }
        return entries;
    }

    private ClassLoader loaderFor(List<Path> entries) {
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = entries.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new BadInputException("--classpath entry " + entries.get(i) + " is not usable: " + e.getMessage(), e);
            }
        }
        return new URLClassLoader("taylorism-workers", urls, getClass().getClassLoader());
    }

    /** This JVM's class path (absolute, since workers may run elsewhere) followed by the extra entries. */
    private static String workerClasspath(List<Path> extraEntries) {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        extraEntries.forEach(path -> entries.add(path.toString()));
        return String.join(File.pathSeparator, entries);
    }

    private void writeReport(Report report) {
        if (reportFile == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(report.toJson());
            out.flush();
        } else {
            report.writeJson(reportFile);
        }
    }

    private void printSummary(Report report, PrintWriter err) {
        StringBuilder summary = new StringBuilder("taylorism: run ").append(report.status().jsonName()).append(':');
        report.counts().forEach((status, count) -> {
            if (count > 0) {
                summary.append(' ').append(count).append(' ').append(status).append(',');
            }
        });
        summary.setLength(summary.length() - 1);
        if (report.runDirectory() != null) {
            summary.append("; worker output in ").append(report.runDirectory());
        }
        if (reportFile != null) {
            summary.append("; report in ").append(reportFile);
        }
        err.println(summary);
        err.flush();
    }

    /** Accepts {@code fail-fast}, {@code FAIL_FAST}, {@code keep-going}... */
    static final class PolicyConverter implements CommandLine.ITypeConverter<FailurePolicy> {
        @Override
        public FailurePolicy convert(String value) {
            try {
                return FailurePolicy.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a policy: use fail-fast or keep-going");
            }
        }
    }
}
