package org.taylorism.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.taylorism.Boss;
import org.taylorism.BossListener;
import org.taylorism.Signal;
import org.taylorism.WorkerReport;

/**
 * Hands the rest of a {@link StreamedBatch} to the Boss as the run goes, on a thread of its own
 * ({@code taylorism-feeder}): a part of {@link StreamedBatch#part} sets each time fewer than half a part are left
 * to end, so the Boss holds at most a part and a half of sets that did not end. It stops feeding when the Boss stops
 * listening (a halt, Ctrl-C); a part the Boss refuses (bad instructions further down the file) stops the run, as
 * STOP does, and is said by {@link #refused}.
 */
final class Feeder implements BossListener {

    private final StreamedBatch batch;
    /** Sets handed to the Boss that have not ended. */
    private final AtomicLong unended = new AtomicLong();
    private volatile Thread thread;
    private volatile BadInputException refused;
    /** Sets handed to the Boss, and the line of the last one. */
    private volatile int handedOver;
    private volatile int lastLine;

    /** @param handedOver how many sets of {@code batch} were handed to the Boss before it was told to work */
    Feeder(StreamedBatch batch, int handedOver) {
        this.batch = batch;
        this.handedOver = handedOver;
        this.lastLine = batch.line();
        unended.set(handedOver);
    }

    /** Starts feeding {@code boss}, which works already. */
    void start(Boss boss) {
        Thread feeding = new Thread(() -> feed(boss), "taylorism-feeder");
        feeding.setDaemon(true);
        thread = feeding;
        feeding.start();
    }

    @Override
    public void ended(WorkerReport report) {
        if (unended.decrementAndGet() < batch.part() / 2) {
            Thread feeding = thread;
            if (feeding != null) {
                LockSupport.unpark(feeding);
            }
        }
    }

    private void feed(Boss boss) {
        try {
            while (boss.state() == Boss.State.LISTENING) {
                if (unended.get() >= batch.part() / 2) {
                    // Woken when the count drops; the timeout only notices a Boss that stopped listening.
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                    continue;
                }
                int firstLine = batch.line() + 1;
                List<Map<String, Object>> part = batch.next(batch.part());
                if (part.isEmpty()) {
                    return;
                }
                unended.addAndGet(part.size());
                try {
                    boss.addInstructions(part);
                    handedOver += part.size();
                    lastLine = batch.line();
                } catch (RuntimeException e) {
                    if (boss.state() == Boss.State.LISTENING) {
                        throw new BadInputException(batch.source() + ", lines " + firstLine + " to " + batch.line() + ": " + e.getMessage(), e);
                    }
                    return; // the run stopped meanwhile: nothing more is fed
                }
            }
        } catch (BadInputException e) {
            refused = e;
            boss.send(Signal.STOP);
        } catch (RuntimeException e) {
            refused = new BadInputException(batch.source() + ": could not be read to its end: " + e.getMessage(), e);
            boss.send(Signal.STOP);
        } finally {
            batch.close();
        }
    }

    /** Waits until everything is fed, or feeding stopped; the run's end comes after. */
    void awaitFed() throws InterruptedException {
        Thread feeding = thread;
        if (feeding != null) {
            feeding.join();
        }
    }

    /** Why feeding stopped on bad input, or null. */
    BadInputException refused() {
        return refused;
    }

    /** How many sets of the batch were never handed to the Boss: the run stopped first, or a part was refused. */
    int neverRead() {
        return batch.total() - handedOver;
    }

    String source() {
        return batch.source();
    }

    /** The line of the batch's last set handed to the Boss. */
    int lastLine() {
        return lastLine;
    }
}
