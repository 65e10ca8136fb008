package org.taylorism.internal.launch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that cannot be written to a spawner whose pipe broke waits for the spawner's reader to hear its end, and
 * then says it was lost (the launcher then starts it elsewhere), rather than failing the start. The spawner here is a
 * tiny shell fixture that speaks the first word of the protocol: it closes its input, says it is ready, and stays
 * until the test lets it go, so that the write fails while its output is still open.
 */
class SpawnerLostTest {

    @TempDir
    Path directory;

    @Test
    void aStartThatCannotBeWrittenWaitsUntilTheSpawnersEndIsHeardAndThenSaysItWasLost() throws Exception {
        Path gate = directory.resolve("gate");
        Process fixture = new ProcessBuilder("sh", "-c", "exec 0<&-; echo R; while [ ! -e \"$1\" ]; do sleep 0.05; done",
                "fixture", gate.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Spawner spawner = Spawner.whenReady(fixture, "fixture");
            assertNotNull(spawner, "the fixture said it was ready");
            assertThrows(IOException.class, () -> spawner.spawn(List.of("true"), null, null, Map.of(),
                    directory.resolve("out"), directory.resolve("err"), new NoEvents()), "its input is closed: the pipe is broken");
            assertFalse(spawner.lost(), "its reader has not heard its end: its output is still open");

            AtomicReference<Thread> asker = new AtomicReference<>();
            CompletableFuture<Boolean> lost = CompletableFuture.supplyAsync(() -> {
                asker.set(Thread.currentThread());
                return spawner.lostAfterAFailedRequest();
            }, task -> new Thread(task, "spawner-lost-test-asker").start());
            await().atMost(Duration.ofMinutes(1)).until(() -> lost.isDone()
                    || asker.get() != null && asker.get().getState() == Thread.State.TIMED_WAITING);
            assertFalse(lost.isDone(), "it waits for the reader rather than answering at once that the spawner still runs");

            Files.createFile(gate); // the fixture leaves: its output ends
            assertTrue(lost.get(1, TimeUnit.MINUTES), "once the end is heard, the spawner was lost");
            assertTrue(spawner.lost());
        } finally {
            fixture.destroyForcibly();
            fixture.waitFor(1, TimeUnit.MINUTES);
        }
    }

    /** Events of a start that is never sent. */
    private static final class NoEvents implements Spawner.Events {
        @Override
        public void started(long pid) {
        }

        @Override
        public void failed(String reason) {
        }

        @Override
        public void ended(int waitStatus, int leftBehind) {
        }

        @Override
        public void notStarted() {
        }
    }
}
