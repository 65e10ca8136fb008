package org.taylorism.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taylorism.internal.child.PooledWorkerMain;
import org.taylorism.spi.JvmCommand;
import org.taylorism.spi.LaunchSpec;

/** A pooled JVM gets C1, the serial collector and a small initial heap by default, and the user's own choice of each wins. */
class PooledJvmCommandTest {

    private static LaunchSpec spec(String... options) {
        JvmCommand jvm = new JvmCommand("java", List.of(options), "classes", "org.taylorism.internal.child.WorkerMain", List.of("task.json"));
        return new LaunchSpec(1, "w", LaunchSpec.Kind.JAVA, List.of(), jvm, Map.of(), null, Path.of("w.stdout"), Path.of("w.stderr"),
                null, null, "Worker", 0, null, List.of(), Map.of(), Map.of(), null, null, 0);
    }

    @Test
    void byDefaultC1TheSerialCollectorAndASmallInitialHeapBeforeTheUsersOptions() {
        JvmCommand command = PooledJvmCommand.of(spec("-Dkey=value"), Map.of());
        assertEquals(List.of("-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dkey=value"), command.options());
        assertEquals(PooledWorkerMain.class.getName(), command.mainClass());
        assertEquals(List.of(), command.arguments());
    }

    @Test
    void aCollectorOrACompilerTheUserChoseWins() {
        assertEquals(List.of("-Xms64m", "-XX:TieredStopAtLevel=1", "-XX:+UseG1GC"), PooledJvmCommand.of(spec("-XX:+UseG1GC"), Map.of()).options());
        assertEquals(List.of("-Xms64m", "-XX:TieredStopAtLevel=1", "-XX:-UseSerialGC"), PooledJvmCommand.of(spec("-XX:-UseSerialGC"), Map.of()).options());
        assertEquals(List.of("-Xms64m", "-XX:+UseSerialGC", "-XX:-TieredCompilation"), PooledJvmCommand.of(spec("-XX:-TieredCompilation"), Map.of()).options());
    }

    @Test
    void aHeapTheUserSizedIsLeftAloneWithTheJvmsOwnCollector() {
        // -Xms64m beside a smaller -Xmx would stop the JVM at its start; the serial collector would fit smaller objects in it.
        for (String sizing : List.of("-Xmx32m", "-Xms1g", "-Xmn8m", "-XX:MaxHeapSize=48m", "-XX:InitialHeapSize=1g", "-XX:MaxRAMPercentage=10",
                "-XX:MaxRAM=1g", "-XX:NewSize=4m")) {
            assertEquals(List.of("-XX:TieredStopAtLevel=1", sizing), PooledJvmCommand.of(spec(sizing), Map.of()).options(), sizing);
        }
        assertEquals(List.of("-XX:TieredStopAtLevel=1"), PooledJvmCommand.of(spec(), Map.of("JAVA_TOOL_OPTIONS", "-Xmx32m")).options(),
                "in the environment");
    }

    @Test
    void aCollectorChosenInTheJvmsEnvironmentIsNotContradicted() {
        // Two collectors, one from JAVA_TOOL_OPTIONS and one from the command line, would stop the JVM at its start.
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            assertEquals(List.of("-Xms64m", "-XX:TieredStopAtLevel=1"),
                    PooledJvmCommand.of(spec(), Map.of(variable, "-Xss2m -XX:+UseParallelGC")).options(), variable);
        }
        assertEquals(List.of("-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                PooledJvmCommand.of(spec(), Map.of("JAVA_TOOL_OPTIONS", "-XX:+UseStringDeduplication")).options(),
                "an option that is not a collector's");
    }
}
