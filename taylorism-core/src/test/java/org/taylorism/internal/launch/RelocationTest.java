package org.taylorism.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.taylorism.spi.LaunchedWorker;

/** What the Boss asks of a worker before it moves is asked of its new handle at the move; after it, of that handle only. */
class RelocationTest {

    /** A handle that records what is asked of it. */
    private static final class Recording implements LaunchedWorker {
        final List<String> calls = new ArrayList<>();

        @Override
        public OptionalLong pid() {
            return OptionalLong.of(42);
        }

        @Override
        public void stop(Duration grace) {
            calls.add("stop " + grace.toSeconds());
        }

        @Override
        public void pause() {
            calls.add("pause");
        }

        @Override
        public void resume() {
            calls.add("resume");
        }
    }

    private final Relocation relocation = new Relocation();
    private final List<String> here = new ArrayList<>();

    @Test
    void aStopAskedBeforeTheMoveIsAskedOfTheNewHandleWithItsGrace() {
        relocation.stop(Duration.ofSeconds(7), () -> here.add("stop"));
        assertTrue(relocation.stopped(), "the worker need not be launched anew");
        Recording moved = new Recording();
        relocation.moveTo(moved);
        assertEquals(List.of("stop"), here);
        assertEquals(List.of("stop 7"), moved.calls);
    }

    @Test
    void aPauseAskedBeforeTheMoveIsAskedAtTheMoveAndLaterCallsGoToTheNewHandleOnly() {
        relocation.pause(() -> here.add("pause"));
        Recording moved = new Recording();
        relocation.moveTo(moved);
        relocation.resume(() -> here.add("resume"));
        relocation.stop(Duration.ofSeconds(3), () -> here.add("stop"));
        assertEquals(List.of("pause"), here);
        assertEquals(List.of("pause", "resume", "stop 3"), moved.calls);
        assertEquals(moved, relocation.movedTo());
    }

    @Test
    void aWorkerResumedBeforeTheMoveIsNotPausedAtIt() {
        relocation.pause(() -> here.add("pause"));
        relocation.resume(() -> here.add("resume"));
        Recording moved = new Recording();
        relocation.moveTo(moved);
        assertFalse(relocation.stopped());
        assertEquals(List.of("pause", "resume"), here);
        assertEquals(List.of(), moved.calls);
    }
}
