package org.taylorism.examples;

import org.taylorism.Attribute;
import org.taylorism.Footprint;
import org.taylorism.Worker;

/**
 * The original's demonstration worker: sleeps, then says its wake-up sentence.
 *
 * <pre>{@code {"sleeping_time": 2.5, "wakeup_sentence": "Morning!"}}</pre>
 */
@Footprint(name = "sleeper", info = "Sleeps for sleeping_time seconds, then says its wake-up sentence.")
public class Sleeper extends Worker {

    @Attribute(info = "Seconds to sleep.")
    private double sleepingTime;

    @Attribute(defaultValue = "Hello !", info = "What the sleeper says when it wakes up.")
    private String wakeupSentence;

    /** The result of a sleeper: what it said, after how long, in which slot. */
    public record WakeUp(String sentence, double sleptSeconds, int ticket) {
    }

    @Override
    protected Object task() throws InterruptedException {
        if (sleepingTime < 0) {
            throw new IllegalArgumentException("sleeping_time must not be negative: " + sleepingTime);
        }
        Thread.sleep(Math.round(sleepingTime * 1000));
        System.out.println(name() + ": " + wakeupSentence);
        return new WakeUp(wakeupSentence, sleepingTime, ticket());
    }
}
