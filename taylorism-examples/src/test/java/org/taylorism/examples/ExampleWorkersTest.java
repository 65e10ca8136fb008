package org.taylorism.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Boss;
import org.taylorism.FailurePolicy;
import org.taylorism.InstructionsException;
import org.taylorism.Report;
import org.taylorism.WorkerRegistry;
import org.taylorism.WorkerStatus;
import org.taylorism.testing.Leaks;

class ExampleWorkersTest {

    @TempDir
    Path directory;

    private final WorkerRegistry registry = WorkerRegistry.discover(getClass().getClassLoader());

    @Test
    void checksumAcceptsAliasesRemapsAndAllowedValues() throws IOException {
        Path file = Files.writeString(directory.resolve("one.txt"), "one\n");
        WorkerRegistry.Match match = registry.match(Map.of("path", file.toString(), "algo", "md5"));
        assertEquals("checksum", match.type().name());
        assertEquals("MD5", match.values().get("algorithm"));
        InstructionsException bad = org.junit.jupiter.api.Assertions.assertThrows(InstructionsException.class,
                () -> registry.match(Map.of("file", "x", "algorithm", "crc32")));
        assertTrue(bad.getMessage().contains("algorithm: 'crc32' not in [SHA-256, SHA-1, MD5]"), bad.getMessage());
        InstructionsException zero = org.junit.jupiter.api.Assertions.assertThrows(InstructionsException.class,
                () -> registry.match(Map.of("file", "x", "buffer_kib", 0)));
        assertTrue(zero.getMessage().contains("buffer_kib: 0 is an outcast value"), zero.getMessage());

        Report report;
        try (Boss boss = Boss.builder().registry(registry).runDirectory(directory.resolve("run")).build()) {
            boss.addInstructions(List.of(Map.of("file", file.toString())));
            boss.makeThemWork();
            report = boss.waitTillFinished();
        }
        Checksum.Digest digest = report.workers().get(0).result(Checksum.Digest.class);
        assertEquals("2c8b08da5ce60398e1f19af0e5dccc744df274b826abe585eaba68c525434806", digest.digest());
        assertEquals(4, digest.bytes());
        Leaks.assertNoChildProcesses();
    }

    @Test
    void theFailureDemoShowsEveryWayToFail() throws IOException {
        Path batch = Path.of(System.getProperty("user.dir")).resolve("../examples/failures.json");
        Map<?, ?> json = org.taylorism.internal.Json.MAPPER.readValue(batch.toFile(), Map.class);
        Report report;
        try (Boss boss = Boss.builder().registry(registry).failurePolicy(FailurePolicy.KEEP_GOING).runDirectory(directory).build()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> common = (Map<String, Object>) json.get("common");
            @SuppressWarnings("unchecked")
            Map<String, Object> individual = (Map<String, Object>) json.get("individual");
            boss.setInstructions(common, individual);
            boss.makeThemWork();
            report = boss.waitTillFinished();
        }
        assertEquals(WorkerStatus.SUCCEEDED, report.worker("succeed").orElseThrow().status());
        assertEquals(WorkerStatus.FAILED, report.worker("raise").orElseThrow().status());
        assertEquals(WorkerStatus.CRASHED, report.worker("exit").orElseThrow().status());
        assertEquals(3, report.worker("exit").orElseThrow().exitCode());
        assertEquals("KILL", report.worker("kill").orElseThrow().signal());
        assertEquals(WorkerStatus.FAILED, report.worker("garbage").orElseThrow().status());
        Leaks.assertNoChildProcesses();
    }
}
