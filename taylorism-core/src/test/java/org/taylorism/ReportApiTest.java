package org.taylorism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a report offers its reader: typed results, typed causes and errors, one definition of a failure. */
class ReportApiTest {

    record Point(int x, int y) {
    }

    private static WorkerReport entry(String name, WorkerStatus status, Cause cause, Object result, ErrorInfo error) {
        Instant at = Instant.parse("2026-11-23T12:00:00Z");
        return new WorkerReport(name, "echo", status, cause == null ? null : cause.jsonName(), Map.of(), result, error, null, null, 0,
                null, null, at, at, 0, null, null, null, null, 1, null);
    }

    @Test
    void aResultComesBackAsTheTypeAskedForOrTheErrorNamesTheWorkerAndType() {
        WorkerReport point = entry("p", WorkerStatus.SUCCEEDED, null, Map.of("x", 1, "y", 2), null);
        assertEquals(new Point(1, 2), point.result(Point.class));
        WorkerReport points = entry("ps", WorkerStatus.SUCCEEDED, null, List.of(Map.of("x", 1, "y", 2), Map.of("x", 3, "y", 4)), null);
        assertEquals(List.of(new Point(1, 2), new Point(3, 4)), points.resultList(Point.class));
        WorkerReport named = entry("named", WorkerStatus.SUCCEEDED, null, Map.of("a", Map.of("x", 5, "y", 6)), null);
        assertEquals(Map.of("a", new Point(5, 6)), named.resultMap(Point.class));

        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> points.result(Point.class));
        assertTrue(wrong.getMessage().startsWith("the result of worker 'ps' is not a " + Point.class.getName()), wrong.getMessage());
    }

    @Test
    void everyCauseNamesItsStatusAndTheErrorTypeTheBossWrites() {
        for (Cause cause : Cause.values()) {
            assertSame(cause, Cause.fromJson(cause.jsonName()));
            if (cause != Cause.EXCEPTION) {
                ErrorInfo error = cause.error("why");
                assertTrue(error.is(cause.errorType()), cause + " writes " + error.type());
            }
        }
        assertEquals(WorkerStatus.TIMED_OUT, Cause.STALL.status());
        assertEquals(Cause.EXIT_CODE, Cause.ofFailure(Cause.EXIT_CODE.error("exited with code 3")));
        assertEquals(Cause.EXCEPTION, Cause.ofFailure(ErrorInfo.of("java.io.IOException", "disk")));
        assertEquals(Cause.EXCEPTION, Cause.ofFailure(Cause.STOPPED.error("a task may throw what it likes")), "only failures map");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Cause.fromJson("bored"));
        assertTrue(unknown.getMessage().contains("'bored' is not a cause"), unknown.getMessage());
    }

    @Test
    void anErrorIsOfItsOwnTypeAndOfEveryTypeItExtends() {
        ErrorInfo timedOut = Cause.TIMEOUT.error("too slow");
        assertTrue(timedOut.is(WorkerTimedOutException.class));
        assertTrue(timedOut.is(TaylorismException.class));
        assertTrue(timedOut.is(RuntimeException.class));
        assertFalse(timedOut.is(WorkerKilledException.class));
        assertTrue(ErrorInfo.of("java.io.FileNotFoundException", "gone").is(java.io.IOException.class));
        assertFalse(ErrorInfo.of("com.example.NotHere", "a class this JVM does not have").is(RuntimeException.class));
    }

    @Test
    void aFailureIsWhatStatusSaysIsOneAndKillsOrCancelsOnlyMakeARunUnsuccessful() {
        Report report = Report.of(RunStatus.FINISHED, List.of(
                entry("ok", WorkerStatus.SUCCEEDED, null, 1, null),
                entry("bad", WorkerStatus.FAILED, Cause.EXCEPTION, null, ErrorInfo.of("E", "x")),
                entry("stopped", WorkerStatus.KILLED, Cause.STOPPED, null, Cause.STOPPED.error("by the Boss")),
                entry("slow", WorkerStatus.TIMED_OUT, Cause.TIMEOUT, null, Cause.TIMEOUT.error("late"))),
                List.of(new PendingTask("later", "echo", Map.of(), "not before 12:00:05")), List.of(), null, null, null);

        assertEquals(List.of("bad", "slow"), report.failures().stream().map(WorkerReport::name).toList());
        assertEquals(List.of("bad", "stopped", "slow"), report.unsuccessful().stream().map(WorkerReport::name).toList());
        assertEquals(List.of("later"), report.pendingNames());
        assertFalse(report.isSuccess());
        assertEquals(Cause.TIMEOUT, report.worker("slow").orElseThrow().causeType());
        assertNull(report.worker("ok").orElseThrow().causeType());
        assertEquals(1, report.counts().get("killed"));
        assertEquals(report, Report.fromJson(report.toJson()), "the JSON round trip keeps every entry");
    }

    @Test
    void aReportStreamedToAFileIsTheSameJsonAsItsTextAndTheFileIsItsOwnersAlone(@TempDir Path directory) throws Exception {
        List<WorkerReport> workers = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            workers.add(entry("w" + i, WorkerStatus.SUCCEEDED, null, Map.of("i", i, "text", "</script> é"), null));
        }
        Report report = Report.of(RunStatus.FINISHED, workers, List.of(), List.of(), null, null, null, "run-1", Map.of());
        Path file = directory.resolve("report.json");
        report.writeJson(file);
        assertEquals(report.toJson() + System.lineSeparator(), Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(report, Report.fromJson(Files.readString(file)));
    }

    @Test
    void whatEveryWorkerSharesIsWrittenOnceAsCommonAndReadBackIntoEachEntry() throws Exception {
        String data = "d".repeat(1000);
        Instant at = Instant.parse("2026-11-23T12:00:00Z");
        List<WorkerReport> workers = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> instructions = new java.util.LinkedHashMap<>();
            instructions.put("name", "w" + i);
            instructions.put("command", List.of("true"));
            instructions.put("data", data);
            instructions.put("size", i == 2 ? 7 : 1);
            workers.add(new WorkerReport("w" + i, "command", WorkerStatus.SUCCEEDED, null, instructions, null, null, 0, null, 0,
                    null, null, at, at, 0, null, null, null, null, 1, null));
        }
        Report report = Report.of(RunStatus.FINISHED, workers, List.of(), List.of(), null, null, null);
        String json = report.toJson();

        com.fasterxml.jackson.databind.JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertEquals(2, tree.get("schemaVersion").asInt());
        assertEquals(List.of("command", "data"), names(tree.get("common")), "size differs, name is each one's own");
        assertEquals(List.of("name", "size"), names(tree.get("workers").get(0).get("instructions")));
        assertEquals(json.indexOf(data), json.lastIndexOf(data), "the shared data is written once");
        assertEquals(report, Report.fromJson(json), "a reader gets every entry's instructions whole");

        Report alone = Report.of(RunStatus.FINISHED, workers.subList(0, 1), List.of(), List.of(), null, null, null);
        com.fasterxml.jackson.databind.JsonNode single = new com.fasterxml.jackson.databind.ObjectMapper().readTree(alone.toJson());
        assertNull(single.get("common"), "one worker shares nothing");
        assertEquals(List.of("name", "command", "data", "size"), names(single.get("workers").get(0).get("instructions")));
    }

    private static List<String> names(com.fasterxml.jackson.databind.JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
