package org.taylorism.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taylorism.internal.child.PooledWorkerMain;
import org.taylorism.spi.JvmCommand;
import org.taylorism.spi.LaunchSpec;

/** A pooled JVM gets C1 and the serial collector by default, and the user's own choice of either wins. */
class PooledJvmCommandTest {

    private static LaunchSpec spec(String... options) {
        JvmCommand jvm = new JvmCommand("java", List.of(options), "classes", "org.taylorism.internal.child.WorkerMain", List.of("task.json"));
        return new LaunchSpec(1, "w", LaunchSpec.Kind.JAVA, List.of(), jvm, Map.of(), null, Path.of("w.stdout"), Path.of("w.stderr"),
                null, null, "Worker", 0, null, List.of(), Map.of(), Map.of(), null, null, 0);
    }

    @Test
    void byDefaultC1AndTheSerialCollectorBeforeTheUsersOptions() {
        JvmCommand command = PooledJvmCommand.of(spec("-Xmx256m"), Map.of());
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m"), command.options());
        assertEquals(PooledWorkerMain.class.getName(), command.mainClass());
        assertEquals(List.of(), command.arguments());
    }

    @Test
    void aCollectorOrACompilerTheUserChoseWins() {
        assertEquals(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseG1GC"), PooledJvmCommand.of(spec("-XX:+UseG1GC"), Map.of()).options());
        assertEquals(List.of("-XX:TieredStopAtLevel=1", "-XX:-UseSerialGC"), PooledJvmCommand.of(spec("-XX:-UseSerialGC"), Map.of()).options());
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:-TieredCompilation"), PooledJvmCommand.of(spec("-XX:-TieredCompilation"), Map.of()).options());
    }

    @Test
    void aCollectorChosenInTheJvmsEnvironmentIsNotContradicted() {
        // Two collectors, one from JAVA_TOOL_OPTIONS and one from the command line, would stop the JVM at its start.
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            assertEquals(List.of("-XX:TieredStopAtLevel=1"),
                    PooledJvmCommand.of(spec(), Map.of(variable, "-Xss2m -XX:+UseParallelGC")).options(), variable);
        }
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                PooledJvmCommand.of(spec(), Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseStringDeduplication")).options(),
                "an option that is not a collector's");
    }
}
