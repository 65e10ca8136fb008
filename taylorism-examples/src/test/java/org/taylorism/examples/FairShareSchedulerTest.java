package org.taylorism.examples;

import static org.taylorism.testing.Awaits.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taylorism.Boss;
import org.taylorism.WorkerRegistry;
import org.taylorism.spi.SchedulerProvider;
import org.taylorism.testing.RecordingLauncher;

class FairShareSchedulerTest {
    /** The Bosses' run directories: a test leaves nothing in the system's temporary directory. */
    @TempDir
    Path runs;

    @Test
    void eachUserGetsATurnWhateverTheQueueOrder() {
        RecordingLauncher launcher = new RecordingLauncher();
        List<Map<String, Object>> sets = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            sets.add(Map.of("name", "alice" + i, "user", "alice", "sleeping_time", 1));
        }
        sets.add(Map.of("name", "bob1", "user", "bob", "sleeping_time", 1));
        sets.add(Map.of("name", "bob2", "user", "bob", "sleeping_time", 1));
        try (Boss boss = Boss.builder().runDirectory(runs).launcher(launcher)
                .scheduler(SchedulerProvider.create("fair-share", Map.of("threads", "2"), getClass().getClassLoader()))
                .registry(WorkerRegistry.builder().register(Sleeper.class).build()).build()) {
            boss.addInstructions(sets);
            boss.makeThemWork();
            await().until(() -> launcher.launchedNames().size() == 2);
            launcher.assertLaunched("alice1", "bob1");
            launcher.succeed("bob1", null);
            await().until(() -> launcher.launchedNames().size() == 3);
            launcher.assertLaunched("alice1", "bob1", "bob2");
            launcher.succeed("alice1", null);
            await().until(() -> launcher.launchedNames().size() == 4);
            launcher.assertLaunched("alice1", "bob1", "bob2", "alice2");
        }
    }
}
