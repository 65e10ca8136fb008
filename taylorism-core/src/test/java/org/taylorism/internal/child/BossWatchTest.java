package org.taylorism.internal.child;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.taylorism.testing.Awaits.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch a worker JVM keeps on the pipe from its Boss, on a named pipe standing in for standard input (the
 * test JVM's own is its link to the build tool).
 */
class BossWatchTest {

    @TempDir
    Path directory;

    private FileChannel bossEnd;
    private FileChannel workerEnd;
    private final AtomicInteger gone = new AtomicInteger();
    private final ResultGate gate = new ResultGate();
    private BossWatch watch;

    @BeforeEach
    void openPipe() throws Exception {
        Path fifo = directory.resolve("from-boss");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        // Each end's open waits for the other's.
        CompletableFuture<FileChannel> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return FileChannel.open(fifo, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        workerEnd = FileChannel.open(fifo, StandardOpenOption.READ);
        bossEnd = writer.get();
        watch = new BossWatch(workerEnd, gone::incrementAndGet, gate);
        watch.start();
        await().alias("the watch blocked reading").until(this::blockedReading);
    }

    @AfterEach
    void closePipe() throws IOException {
        watch.end();
        bossEnd.close();
    }

    private boolean blockedReading() {
        return Arrays.stream(watch.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("read0"));
    }

    @Test
    void endingTheWatchWakesItsBlockedReadWithoutActing() {
        watch.end();

        // A thread still blocked in read when the JVM exits would hold the exit back by 300 ms.
        await().until(() -> !watch.isAlive());
        assertEquals(0, gone.get());
    }

    @Test
    void aTaskInterruptingTheWatchDoesNotStopTheWorker() {
        watch.interrupt();

        await().until(() -> !watch.isAlive());
        assertEquals(0, gone.get());
    }

    @Test
    void theEndOfTheBossPipeActsOnceWhateverCameBefore() throws IOException {
        bossEnd.write(ByteBuffer.wrap("ignored\n".getBytes(StandardCharsets.US_ASCII)));
        bossEnd.close();

        await().until(() -> !watch.isAlive());
        assertEquals(1, gone.get());
    }

    @Test
    void aTaskThatReturnedBeforeItsBossWentHasItsResultWrittenFirst() throws IOException {
        gate.taskReturned();
        bossEnd.close();

        await().alias("the watch waits for the result").until(() -> watch.getState() == Thread.State.TIMED_WAITING);
        assertEquals(0, gone.get(), "the result is not written yet");
        gate.resultWritten();
        await().until(() -> !watch.isAlive());
        assertEquals(1, gone.get());
    }
}
