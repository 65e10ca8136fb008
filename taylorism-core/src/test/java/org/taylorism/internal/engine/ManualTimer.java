package org.taylorism.internal.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A timer whose messages are posted when the test says the time has come. */
final class ManualTimer implements Timer {

    private record Planned(Instant when, long order, Message message) {
    }

    private final List<Planned> planned = new ArrayList<>();
    private long order;

    @Override
    public Timer.Planned postAt(Instant when, Message message) {
        Planned plan = new Planned(when, order++, message);
        planned.add(plan);
        return () -> planned.remove(plan);
    }

    /** Posts to {@code mailbox}, in time order, every message due at {@code now}. */
    void postDue(Instant now, Mailbox mailbox) {
        List<Planned> due = planned.stream().filter(plan -> !plan.when().isAfter(now))
                .sorted(Comparator.comparing(Planned::when).thenComparingLong(Planned::order)).toList();
        planned.removeAll(due);
        due.forEach(plan -> mailbox.post(plan.message()));
    }

    /** How many messages wait for their time. */
    int waiting() {
        return planned.size();
    }

    @Override
    public void close() {
        planned.clear();
    }
}
