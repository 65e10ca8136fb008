package org.taylorism.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** The one configured await() of the project's tests. */
public final class Awaits {

    private Awaits() {
    }

    /** Waits up to 30 s (worker JVMs on a busy 2-core machine), polling every 20 ms. */
    public static ConditionFactory await() {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20));
    }
}
