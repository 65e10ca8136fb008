package org.taylorism.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Report;
import org.taylorism.WorkerReport;
import org.taylorism.internal.Json;
import org.taylorism.testing.Leaks;

/** Batch formats, --set, and the explain, workers and schedulers subcommands. */
class FormatsAndSubcommandsTest {

    @TempDir
    Path directory;

    private final CliRun cli = new CliRun();
    private final CliRun.Captured out = cli.out;
    private final CliRun.Captured err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    private int runWithStdin(String stdin, String... args) {
        return cli.runWithStdin(stdin, args);
    }

    @AfterEach
    void noLeftovers() {
        Leaks.assertNoBossThreads();
        Leaks.assertNoChildProcesses();
    }

    @Test
    void jsonLinesCsvAndLinesAreReadByExtensionOrFormat() throws IOException {
        Path jsonl = Files.writeString(directory.resolve("b.jsonl"), "{\"sleeping_time\": 0, \"name\": \"a\"}\n\n{\"sleeping_time\": 0, \"name\": \"b\"}\n");
        assertEquals(0, run("run", "--report", "-", jsonl.toString()), err.toString());
        assertEquals(List.of("a", "b"), names(Report.fromJson(out.toString())));

        out.reset();
        Path csv = Files.writeString(directory.resolve("b.csv"), "name,sleeping_time,wakeup_sentence\nc,0,\"Hi, there\"\nd,0,\n");
        assertEquals(0, run("run", "--report", "-", csv.toString()), err.toString());
        Report report = Report.fromJson(out.toString());
        assertEquals(List.of("c", "d"), names(report));
        assertEquals("Hi, there", ((Map<?, ?>) report.worker("c").orElseThrow().result()).get("sentence"));
        assertEquals("Hello !", ((Map<?, ?>) report.worker("d").orElseThrow().result()).get("sentence"), "an empty cell leaves the default");
    }

    @Test
    void linesFromStandardInputWithSetRunAProgramPerLine() throws IOException {
        Path first = Files.writeString(directory.resolve("one.txt"), "one\n");
        Path second = Files.writeString(directory.resolve("two.txt"), "two\n");
        int exitCode = runWithStdin(first + "\n" + second + "\n", "run", "--report", "-", "-", "--set", "command=[\"sha256sum\", \"[line]\"]",
                "--set", "name=sum_[line]");
        assertEquals(0, exitCode, err.toString());
        Report report = Report.fromJson(out.toString());
        assertEquals(2, report.workers().size());
        WorkerReport one = report.worker("sum_" + first).orElseThrow();
        assertTrue(Files.readString(Path.of(one.stdout())).startsWith("2c8b08da5ce60398e1f19af0e5dccc744df274b826abe585eaba68c525434806"),
                "sha256 of 'one\\n'");
        // The checksum is in the report too: the program's short output is its result.
        assertEquals("2c8b08da5ce60398e1f19af0e5dccc744df274b826abe585eaba68c525434806  " + first, one.result());

        // Without --report -, the checksums themselves are printed.
        CliRun printed = new CliRun();
        assertEquals(0, printed.runWithStdin(first + "\n", "run", "-", "--set", "command=[\"sha256sum\", \"[line]\"]"));
        assertEquals("2c8b08da5ce60398e1f19af0e5dccc744df274b826abe585eaba68c525434806  " + first + "\n", printed.out.toString());
    }

    @Test
    void aGridFromTheFileOrTheCommandLineRunsEveryCombination() throws IOException {
        Path batch = Files.writeString(directory.resolve("grid.json"),
                "{\"common\": {\"command\": [\"echo\", \"[size] [shape]\"], \"name\": \"[size]-[shape]\"},"
                        + " \"product\": {\"size\": [1, 2], \"shape\": [\"square\", \"round\"]}}");
        assertEquals(0, run("run", "--report", "-", batch.toString()), err.toString());
        Report report = Report.fromJson(out.toString());
        assertEquals(List.of("1-round", "1-square", "2-round", "2-square"), report.workers().stream().map(WorkerReport::name).sorted().toList());
        assertEquals("2 round", Files.readString(Path.of(report.worker("2-round").orElseThrow().stdout())).strip());

        Path lines = Files.writeString(directory.resolve("words.txt"), "a\nb\n");
        CliRun again = new CliRun();
        assertEquals(0, again.run("run", "--report", "-", lines.toString(), "--set", "command=[\"echo\", \"[line][n]\"]",
                "--set", "name=[line][n]", "--product", "n=1,2,3"), again.err.toString());
        assertEquals(List.of("a1", "a2", "a3", "b1", "b2", "b3"),
                Report.fromJson(again.out.toString()).workers().stream().map(WorkerReport::name).sorted().toList());

        CliRun bad = new CliRun();
        assertEquals(2, bad.run("run", lines.toString(), "--product", "n"));
        assertTrue(bad.err.toString().contains("--product 'n' is not written KEY=VALUES"), bad.err.toString());

        String values = java.util.stream.IntStream.range(0, 100).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","));
        String hundred = "=" + values;
        Path grid = Files.writeString(directory.resolve("grid.json"), "{\"common\": {\"command\": [\"true\"]}, \"product\": {\"a\": ["
                + values + "], \"b\": [" + values + "], \"c\": [" + values + "], \"d\": [" + values + "]}}");
        CliRun huge = new CliRun();
        assertEquals(2, huge.run("run", grid.toString()), huge.err.toString());
        assertTrue(huge.err.toString().contains(grid + ": the product instructions make 100000000 sets (a has 100, b has 100, c has 100,"
                + " d has 100), more than the 10000000 one batch may hold"), "refused before a set is made, not a crash: " + huge.err);
        CliRun tooMany = new CliRun();
        assertEquals(2, tooMany.run("run", lines.toString(), "--product", "a" + hundred, "--product", "b" + hundred, "--product",
                "c" + hundred, "--product", "d=1,2,3,4,5,6"), tooMany.err.toString());
        assertTrue(tooMany.err.toString().contains("the product options make 6000000 combinations for each of the batch's 2 sets:"
                + " 12000000 sets, more than the 10000000 a grid may make"), tooMany.err.toString());
    }

    @Test
    void aValueIsJsonOnlyWhenItIsJsonWholeAndALineOfTwoObjectsIsRefused() {
        CliRun spaced = new CliRun();
        assertEquals(0, spaced.runWithStdin("x\n", "run", "--report", "-", "-", "--set", "command=[\"echo\", \"[f]\"]",
                "--set", "msg=true story", "--product", "f=2023 a.pdf,2024 b.pdf"), spaced.err.toString());
        List<WorkerReport> workers = Report.fromJson(spaced.out.toString()).workers();
        assertEquals(List.of("2023 a.pdf", "2024 b.pdf"), workers.stream().map(worker -> worker.instructions().get("f")).sorted().toList(),
                "text, not the number its first word is");
        assertEquals("true story", workers.get(0).instructions().get("msg"));

        CliRun joined = new CliRun();
        assertEquals(2, joined.runWithStdin("{\"name\": \"a\", \"command\": [\"true\"]}{\"name\": \"b\", \"command\": [\"true\"]}\n",
                "run", "-"), joined.err.toString());
        assertTrue(joined.err.toString().contains("standard input:1:") && joined.err.toString().contains("malformed JSON"),
                joined.err.toString());
    }

    @Test
    void standardInputIsSniffedForCsvAndForJsonLinesOfOneLine() {
        CliRun csv = new CliRun();
        assertEquals(0, csv.runWithStdin("name,text\nfirst,hello\nsecond,\"a, b\"\n", "run", "--report", "-", "-",
                "--set", "command=[\"echo\", \"[text]\"]"), csv.err.toString());
        assertEquals(List.of("first", "second"), Report.fromJson(csv.out.toString()).workers().stream().map(WorkerReport::name).sorted()
                .toList(), "a CSV header of attribute names");

        CliRun oneLine = new CliRun();
        assertEquals(0, oneLine.runWithStdin("{\"name\": \"only\", \"command\": [\"true\"]}\n", "run", "--report", "-", "-"),
                oneLine.err.toString());
        assertEquals(List.of("only"), Report.fromJson(oneLine.out.toString()).workers().stream().map(WorkerReport::name).toList(),
                "one instruction set on one line is JSON Lines, not a batch");

        CliRun words = new CliRun();
        assertEquals(0, words.runWithStdin("a b, c\nd\n", "run", "--report", "-", "-", "--set", "command=[\"echo\", \"[line]\"]",
                "--set", "name=[line]"), words.err.toString());
        assertEquals(List.of("a b, c", "d"), Report.fromJson(words.out.toString()).workers().stream().map(WorkerReport::name).sorted()
                .toList(), "text with a comma that is no header is lines");
    }

    @Test
    void setNumberAndSlotAreParallelsJobNumberAndSlot() throws IOException {
        Path lines = Files.writeString(directory.resolve("abc.txt"), "a\nb\nc\n");
        assertEquals(0, run("run", "--report", "-", lines.toString(), "-j", "1", "--set", "command=[\"echo\", \"[line] [#] [%]\"]", "--set",
                "name=n[#]"), err.toString());
        Report report = Report.fromJson(out.toString());
        for (String[] expected : List.of(new String[] {"n1", "a 1 1"}, new String[] {"n2", "b 2 1"}, new String[] {"n3", "c 3 1"})) {
            assertEquals(expected[1], Files.readString(Path.of(report.worker(expected[0]).orElseThrow().stdout())).strip());
        }
    }

    @Test
    void quotedModifiersPasteAnyFileNameIntoAShellCommandSafely() throws IOException {
        Path in = Files.createDirectories(directory.resolve("in dir"));
        Path out = Files.createDirectories(directory.resolve("out"));
        List<String> names = List.of("a b.txt", "it's.txt", "$(touch pwned).txt", "x; touch pwned.txt", "two\nlines.txt");
        StringBuilder batch = new StringBuilder();
        for (String name : names) {
            Files.writeString(in.resolve(name), name);
            batch.append(Json.MAPPER.writeValueAsString(Map.of("f", in.resolve(name).toString(),
                    "command", List.of("sh", "-c", "cp [f|q] " + out + "/[f|/.|q].copy")))).append('\n');
        }
        Path jsonl = Files.writeString(directory.resolve("copies.jsonl"), batch);
        assertEquals(0, run("run", jsonl.toString(), "--no-progress"), err.toString());
        for (String name : names) {
            String stem = name.substring(0, name.length() - ".txt".length());
            assertEquals(name, Files.readString(out.resolve(stem + ".copy")), "copied under its own name: " + name);
        }
        try (Stream<Path> made = Files.list(out)) {
            assertEquals(names.size(), made.count(), "nothing else was made");
        }
        assertTrue(Files.notExists(directory.resolve("pwned")) && Files.notExists(Path.of("pwned")), "no name ran as a command");
    }

    @Test
    void setOverridesTheFilesCommonButNotEachSetsOwnValues() throws IOException {
        Path batch = Files.writeString(directory.resolve("b.json"),
                "{\"common\": {\"wakeup_sentence\": \"file\"}, \"individual\": {\"sleeping_time\": [0, 0], \"name\": [\"x\", \"y\"],"
                        + " \"memory\": [1, 2]}}");
        assertEquals(0, run("run", "--report", "-", batch.toString(), "--set", "wakeup_sentence=cli", "--set", "memory=9"), err.toString());
        Report report = Report.fromJson(out.toString());
        assertEquals("cli", ((Map<?, ?>) report.worker("x").orElseThrow().result()).get("sentence"));
        assertEquals(2, report.worker("y").orElseThrow().instructions().get("memory"));
    }

    @Test
    void csvRowsMayEndWithACarriageReturnAlone() {
        CliRun mac = new CliRun();
        assertEquals(0, mac.runWithStdin("name,arg\ra,x\rb,y\r", "run", "--report", "-", "-", "--set", "command=[\"echo\", \"[arg]\"]"),
                mac.err.toString());
        assertEquals(List.of("a", "b"), Report.fromJson(mac.out.toString()).workers().stream().map(WorkerReport::name).sorted().toList());
    }

    @Test
    void malformedLinesAndCsvNameTheirLine() throws IOException {
        Path jsonl = Files.writeString(directory.resolve("bad.jsonl"), "{\"sleeping_time\": 0}\n{\"sleeping_time\": }\n");
        assertEquals(2, run("run", jsonl.toString()));
        assertTrue(err.toString().contains("bad.jsonl:2:"), err.toString());

        Path csv = Files.writeString(directory.resolve("bad.csv"), "sleeping_time,name\n1,a\n2\n");
        assertEquals(2, run("run", csv.toString()));
        assertTrue(err.toString().contains("bad.csv:3: row 3 has 1 fields, the header has 2"), err.toString());
        Path spanning = Files.writeString(directory.resolve("spanning.csv"), "a,b\n\"x\ny\",1\n2\n");
        assertEquals(2, run("run", spanning.toString()));
        assertTrue(err.toString().contains("spanning.csv:4: row 3 has 1 fields"), "a quoted field spans lines 2 and 3: " + err);
        Path twice = Files.writeString(directory.resolve("twice.csv"), "file,file\na,b\n");
        assertEquals(2, run("run", twice.toString()));
        assertTrue(err.toString().contains("twice.csv:1:2: 'file' is in the header twice (columns 1 and 2)"), err.toString());

        assertEquals(2, run("run", csv.toString(), "--format", "xml"));
        assertTrue(err.toString().contains("--format 'xml' is not one of json, jsonl, csv, lines"), err.toString());
    }

    @Test
    void explainSaysWhatMatchesWhatNotAndWhatWouldLaunchFirst() throws IOException {
        Path batch = Files.writeString(directory.resolve("b.json"),
                "{\"common\": {\"colour\": \"red\"}, \"individual\": {\"sleeping_time\": [1, 2, 3]}}");
        assertEquals(0, run("explain", batch.toString(), "--max-threads", "2"), err.toString());
        String text = out.toString();
        assertTrue(text.contains("worker: sleeper"), text);
        assertTrue(text.contains("keys no attribute reads (typos?): [colour]"), text);
        assertTrue(text.contains("not command: command: missing"), text);
        assertTrue(text.contains("would launch first: [sleeper-1, sleeper-2]"), text);
        assertTrue(text.contains("sleeper-3 waits: 2/2 threads busy"), text);

        out.reset();
        Path bad = Files.writeString(directory.resolve("bad.json"), "{\"individual\": {\"sleeping_time\": [\"soon\"]}}");
        assertEquals(2, run("explain", bad.toString(), "--json"));
        Map<?, ?> document = Json.MAPPER.readValue(out.toString(), Map.class);
        Map<?, ?> first = (Map<?, ?>) ((List<?>) document.get("sets")).get(0);
        assertEquals(null, first.get("worker"));
        assertEquals(List.of("sleeping_time: 'soon' is not a double"), ((Map<?, ?>) first.get("rejected")).get("sleeper"));
    }

    @Test
    void explainStillShowsTheFirstLaunchesWhenASetWouldBeRejected() throws IOException {
        Path batch = Files.writeString(directory.resolve("b.jsonl"),
                "{\"name\": \"huge\", \"sleeping_time\": 1, \"memory\": 5000}\n{\"name\": \"small\", \"sleeping_time\": 1, \"memory\": 10}\n");
        assertEquals(0, run("explain", batch.toString(), "--max-memory", "1000"), err.toString());
        assertTrue(out.toString().contains("would launch first: [small]"), out.toString());
        assertTrue(out.toString().contains("huge would be rejected: scheduler"), out.toString());
    }

    @Test
    void explainNamesABadValueAndARepeatedNameAsBadInput() throws IOException {
        Path badTimeout = Files.writeString(directory.resolve("t.json"), "{\"individual\": {\"sleeping_time\": [1], \"timeout\": [0]}}");
        assertEquals(2, run("explain", badTimeout.toString()), out.toString());
        assertTrue(err.toString().contains("instruction set #1: timeout: 0.0 must be above 0"), err.toString());

        out.reset();
        Path twins = Files.writeString(directory.resolve("twins.json"), "{\"individual\": {\"sleeping_time\": [1, 2], \"name\": [\"twin\", \"twin\"]}}");
        err.reset();
        assertEquals(2, run("explain", twins.toString(), "-j", "2"), out.toString());
        assertTrue(err.toString().contains("instruction set #2: its name 'twin' is the name of instruction set #1 too"), err.toString());
    }

    @Test
    void workersListsFootprints() throws IOException {
        assertEquals(0, run("workers"));
        assertTrue(out.toString().contains("sleeper  (org.taylorism.examples.Sleeper, priority DEFAULT)"), out.toString());
        assertTrue(out.toString().matches("(?s).*sleeping_time\\s+double\\s+mandatory.*"), out.toString());
        assertTrue(out.toString().matches("(?s).*wakeup_sentence\\s+String\\s+default 'Hello !'.*"), out.toString());

        out.reset();
        assertEquals(0, run("workers", "--json"));
        List<?> list = Json.MAPPER.readValue(out.toString(), List.class);
        assertTrue(list.stream().anyMatch(w -> "command".equals(((Map<?, ?>) w).get("name"))), out.toString());

        assertEquals(2, run("workers", "--classpath", "nowhere.jar"));
        assertTrue(err.toString().contains("--classpath entry nowhere.jar does not exist"), err.toString());
    }

    @Test
    void schedulersListsProvidersAndOptions() {
        assertEquals(0, run("schedulers"));
        String text = out.toString();
        for (String name : List.of("laxist", "max-threads", "max-memory", "longer-first", "single-open-file", "fair-share")) {
            assertTrue(text.contains(name + "  "), name + " missing in " + text);
        }
        assertTrue(text.contains("  per-task "), text);
    }

    @Test
    void maxMemoryAndResourcesShortcutsChooseAndWrapTheScheduler() throws IOException {
        Path batch = Files.writeString(directory.resolve("b.json"),
                "{\"common\": {\"resources\": {\"licence\": 1}}, \"individual\": {\"sleeping_time\": [0, 0, 0]}}");
        assertEquals(0, run("explain", batch.toString(), "--max-memory", "8G", "--resources", "licence=1", "-j", "3"));
        assertTrue(out.toString().contains("scheduler: longer-first(3 threads, 8192 MiB)+resources{licence=1}"), out.toString());
        assertTrue(out.toString().contains("waits: licence 1/1 held by sleeper-1"), out.toString());
    }

    private static List<String> names(Report report) {
        return report.workers().stream().map(WorkerReport::name).sorted().toList();
    }
}
