package org.taylorism.internal.launch;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.internal.PlainBinary;
import org.taylorism.internal.child.PooledWorkerMain;
import org.taylorism.internal.child.ResultFile;
import org.taylorism.spi.LaunchSpec;
import org.taylorism.spi.WorkerOutcome;

import static org.taylorism.internal.child.PooledWorkerMain.NONE_HELD;
import static org.taylorism.internal.child.PooledWorkerMain.NOTHING_MORE;
import static org.taylorism.internal.child.PooledWorkerMain.WITHDRAWAL;

/**
 * One long-lived worker JVM of a {@link PoolLauncher}, the task it runs, the tasks queued behind it, and its reader
 * thread, {@code taylorism-pool-N}, which reads its replies.
 *
 * <p>A queued task goes to the JVM at once when it can ({@link #mayGoAhead}): the JVM then goes from one task to the
 * next without waiting for this side. Which one it begins is the JVM's word, given before the task's code runs: a
 * reply names the task begun next, or says that none was held there (the next it reads begins, and is announced), or
 * that nothing more begins (after a failure). This side follows that word, and only it: a task sent ahead that the
 * Boss withdraws is asked back, and the JVM answers that it withdrew it, unless it began it first. The end of a task
 * is posted once the next one is known. Other queued tasks wait here and are sent at the reply, as the JVM's current
 * one, unless the task that ended failed or was stopped. A stop asks back what was sent ahead before it signals.
 *
 * <p>Two locks: {@link #toJvm}, held by every write, and this JVM's monitor, for its state. Whoever takes both takes
 * {@code toJvm} first; a task is marked as sent ahead and written under the same hold of {@code toJvm}, so that
 * requests reach the JVM in the order they were queued, and a withdrawal after its request.
 */
final class PooledJvm extends ProcessWorker {

    private static final Logger log = LoggerFactory.getLogger(PoolLauncher.class);
    private static final AtomicInteger JVM_NUMBERS = new AtomicInteger();
    /** The most tasks queued for one JVM, while its tasks are short. */
    private static final int MAX_QUEUED = 4;
    /**
     * The most bytes of requests sent ahead and not yet begun or withdrawn. Well within a page, which the smallest pipe
     * holds: sending ahead, or asking back, never waits for a JVM that runs a task and does not read.
     */
    private static final int AHEAD_BYTES = 3072;

    final DataOutputStream toJvm;
    final PoolLauncher pool;
    /** Its requests come on a descriptor of their own, not its standard input: they may be sent ahead. */
    private final boolean requestsOwnDescriptor;
    /**
     * Where the JVM writes its crash log (null: where its command says): one of its own, as it outlives its first
     * task, moved beside the output of the task it crashed in, where that task's report points.
     */
    private final Path crashLog;
    /** Names this JVM in a complaint about one of its replies; made once, not at every reply. */
    private final String replySource;
    /** The task it runs, or null. Guarded by this JVM's monitor, as are the fields below. */
    PooledTask current;
    /** The tasks queued behind {@link #current}, in the order they are to run: first those sent ahead, if any. */
    final Deque<PooledTask> queued = new ArrayDeque<>();
    private int aheadBytes;
    /** When {@link #current} started (System.nanoTime), and how long the task before it took. */
    private long currentSince;
    private long lastTaskNanos = Long.MAX_VALUE;
    int tasksDone;
    /** Its task is being stopped, and the JVM with it. */
    private PooledTask stoppedFor;
    private boolean retired;
    /** Stopped by SIGSTOP for its task. */
    boolean paused;
    /** Its reader saw the end of its output: nothing can be handed to it. */
    boolean dead;
    /** The queued task that became current at the last reply, to be sent by the reader. */
    private PooledTask toHandOver;
    /** A task's end whose post waits for the JVM's word on the task sent ahead that it holds. */
    private Ended awaiting;

    /** A task's end, to be posted, and whether its JVM may take more tasks after it. */
    private record Ended(PooledTask task, WorkerOutcome outcome, boolean healthy) {
    }

    private PooledJvm(Process process, PoolLauncher pool, boolean requestsOwnDescriptor, Path crashLog) {
        super(process, pool.programs.escalation());
        this.pool = pool;
        this.crashLog = crashLog;
        this.requestsOwnDescriptor = requestsOwnDescriptor;
        this.toJvm = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        this.replySource = "a reply of pooled JVM " + process.pid();
    }

    static PooledJvm start(LaunchSpec spec, PoolLauncher pool) throws IOException {
        int number = JVM_NUMBERS.incrementAndGet();
        Path crashLog = spec.stdout().resolveSibling("pool-jvm-" + number + ".hs_err.log");
        PooledJvmCommand.Line command = PooledJvmCommand.commandLine(spec, System.getenv(), crashLog);
        Path log = spec.stdout().resolveSibling("pool-jvm-" + number + ".log");
        Process process = new ProcessBuilder(command.words()).redirectError(Redirect.appendTo(log.toFile())).start();
        PooledJvm.log.debug("Started pooled JVM {} (pid {}), log {}", number, process.pid(), log);
        return attach(process, pool, number, command.requestsOwnDescriptor(), crashLog);
    }

    /** The pooled JVM that {@code process} is, its reader thread started; {@code crashLog} as its command names it, or null. */
    static PooledJvm attach(Process process, PoolLauncher pool, int number, boolean requestsOwnDescriptor, Path crashLog) {
        PooledJvm jvm = new PooledJvm(process, pool, requestsOwnDescriptor, crashLog);
        Thread reader = new Thread(jvm::readReplies, "taylorism-pool-" + number);
        reader.setDaemon(true);
        reader.start();
        return jvm;
    }

    /** Whether the end of its last task waits for its word on a task sent ahead. */
    synchronized boolean awaitsWord() {
        return awaiting != null;
    }

    /** Makes {@code task}, handed to this idle JVM, its current one; false when the JVM has just died. */
    synchronized boolean take(PooledTask task) {
        if (dead) {
            return false;
        }
        current = task;
        currentSince = System.nanoTime();
        return true;
    }

    /**
     * Whether one more task may be queued behind the current one: not beyond the tasks this JVM may run, nor while it
     * is being stopped. One is queued always; more, up to {@link #MAX_QUEUED}, while tasks are short: a task shorter
     * than the Boss's round trip would end before the Boss has queued the next, and the JVM would wait.
     */
    boolean canQueue() {
        if (stoppedFor != null || retired || dead || pool.closed() || tasksDone + 1 + queued.size() + 1 > pool.maxTasksPerJvm) {
            return false;
        }
        return queued.isEmpty() || queued.size() < MAX_QUEUED && lastTaskNanos < pool.shortTaskNanos;
    }

    /**
     * Queues {@code task} behind the current one; returns whether it goes ahead ({@link #mayGoAhead}), to be sent by
     * the caller before it lets go of {@link #toJvm}, which it holds: requests reach the JVM in the order they were
     * queued. Called under this JVM's monitor.
     */
    boolean queue(PooledTask task) {
        queued.add(task);
        if (!mayGoAhead(task)) {
            return false;
        }
        markAhead(task);
        return true;
    }

    /**
     * Whether {@code task}, queued, may go to the JVM now: while its tasks are short (a withdrawal reaches the JVM only
     * at the end of its task: a long one would delay it), once the current task's own request is written, behind
     * tasks that all went, within {@link #AHEAD_BYTES}; never to a JVM being stopped or retired, nor to one that reads
     * its requests on its standard input (a process a task starts could read them). Not a task with a contact to the Boss: what it asks the Boss
     * must come after the end of the task ahead, which is posted only once the JVM has begun it.
     */
    private boolean mayGoAhead(PooledTask task) {
        if (!requestsOwnDescriptor || stoppedFor != null || retired || dead || task.sentAhead || task.spec.bossContact() != null
                || toHandOver != null || lastTaskNanos >= pool.shortTaskNanos || aheadBytes + task.request.length > AHEAD_BYTES) {
            return false;
        }
        for (PooledTask before : queued) {
            if (before == task) {
                return true;
            }
            if (!before.sentAhead) {
                return false;
            }
        }
        return false;
    }

    private void markAhead(PooledTask task) {
        task.sentAhead = true;
        aheadBytes += task.request.length;
    }

    /**
     * Writes a request. Not under the JVM's monitor, which the reader thread takes at each reply. Every write holds
     * {@link #toJvm}, and whoever takes both locks takes {@code toJvm} first.
     */
    void send(byte[] request) throws IOException {
        synchronized (toJvm) {
            toJvm.writeInt(request.length);
            toJvm.write(request);
            toJvm.flush();
        }
    }

    /** Sends {@code task} ahead; a JVM that can no longer read it never begins it, and its reply or its end says so. */
    void sendAhead(PooledTask task) {
        try {
            send(task.request);
        } catch (IOException e) {
            log.debug("Could not send {} ahead to {}; its reply or its end settles the task", task.spec.name(), this, e);
        }
    }

    /** Asks the JVM for {@code task}, sent ahead, back; it answers unless it began the task first. */
    void askBack(PooledTask task) {
        try {
            synchronized (toJvm) {
                toJvm.writeInt(WITHDRAWAL);
                toJvm.writeLong(task.spec.id());
                toJvm.flush();
            }
        } catch (IOException e) {
            log.debug("Could not ask {} back from {}; its reply or its end settles the task", task.spec.name(), this, e);
        }
    }

    /**
     * After a request for {@code task} could not be written: takes the task back from the JVM, unless the JVM's end
     * took it first (its reader then reports it) or it is being stopped (its end comes with the JVM's).
     */
    synchronized boolean takeBack(PooledTask task) {
        if (current != task || dead || stoppedFor != null) {
            return false;
        }
        current = null;
        return true;
    }

    /**
     * Stops {@code task}, if it is still the current one, and the JVM with it; or, when its reply came and its end waits
     * for the JVM's word on the next task, the JVM alone, so that its end is posted (a JVM that never gives that word
     * would hold it for ever). What was sent ahead is asked back first: a JVM whose task ends just then does not begin
     * one only to be stopped with it.
     */
    void stopFor(PooledTask task, Duration grace) {
        synchronized (toJvm) {
            synchronized (this) {
                if (current != task && (awaiting == null || awaiting.task != task)) {
                    return;
                }
                stoppedFor = task;
                for (PooledTask next : queued) {
                    if (next.sentAhead && !next.withdrawing) {
                        next.withdrawing = true;
                        askBack(next); // within AHEAD_BYTES: does not wait for the JVM
                    }
                }
                stop(grace);
            }
        }
    }

    /** Closes the JVM's standard input: it exits once its task (if any) is over. */
    void retire() {
        synchronized (this) {
            retired = true;
        }
        try {
            synchronized (toJvm) {
                toJvm.close();
            }
        } catch (IOException ignored) {
            // gone already
        }
    }

    /**
     * {@code replies}, buffered once. The JDK's process streams are buffered already, and a buffer over one asked it for
     * a whole buffer's worth at each reply: it read what had come, then asked the pipe how much more was waiting (two
     * system calls more per task, a tenth of the reader thread's time).
     */
    static InputStream buffered(InputStream replies) {
        return replies instanceof BufferedInputStream ? replies : new BufferedInputStream(replies);
    }

    private void readReplies() {
        PlainBinary.FrameReader frames = new PlainBinary.FrameReader();
        try (DataInputStream fromJvm = new DataInputStream(buffered(process.getInputStream()))) {
            while (true) {
                PoolFrames.FromJvm frame = PoolFrames.next(fromJvm, frames, process.pid(), replySource);
                Ended ended = frame instanceof PoolFrames.Reply reply ? replied(reply) : heard((PoolFrames.Word) frame);
                if (ended != null) {
                    // Its end first, then the next task, if it is to be sent: whatever that task asks of the Boss comes after.
                    ended.task.onEnd.accept(ended.outcome);
                    handOverNext();
                }
            }
        } catch (EOFException end) {
            died();
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            log.warn("Pooled JVM {} sent something that is not a frame; it is replaced", process.pid(), e);
            ProcessTree.kill(process.toHandle(), ProcessTree.SETSID != null);
            died();
        }
    }

    /**
     * Settles a reply: the task it answers ends, and the task the JVM begun next, if it said it did, becomes its
     * current one. Returns the end to post now; null when the reply answers no task, or while the JVM's word on a task
     * sent ahead is awaited.
     */
    private Ended replied(PoolFrames.Reply reply) throws IOException {
        Map<?, ?> body = reply.outcome();
        long id = body.get("id") instanceof Number number ? number.longValue() : -1;
        WorkerOutcome outcome = Outcomes.ofReply(body, replySource, null);
        Ended ended;
        synchronized (this) {
            PooledTask task = current;
            if (task == null || id != task.spec.id()) {
                log.warn("Pooled JVM {} answered for a task it does not run: {}", process.pid(), body);
                return null;
            }
            boolean begunNext = reply.then() != NONE_HELD && reply.then() != NOTHING_MORE;
            if (begunNext && (firstAheadOrNull() == null || firstAheadOrNull().spec.id() != reply.then())) {
                // Before anything changes: the JVM is replaced, and its end reports this task's.
                throw new IOException("it began task " + reply.then() + ", which is not the first it was sent ahead");
            }
            if (body.get(ResultFile.LEFT_BEHIND) instanceof Number left) {
                task.leftBehind(left.intValue());
            }
            tasksDone++;
            long now = System.nanoTime();
            lastTaskNanos = now - currentSince;
            currentSince = now;
            current = null;
            if (paused) {
                // Paused just as its task ended: the JVM goes on, for the next task or for the pool.
                paused = false;
                resume();
            }
            boolean healthy = outcome instanceof WorkerOutcome.Returned && stoppedFor == null && reply.then() != NOTHING_MORE;
            ended = new Ended(task, outcome, healthy);
            if (begunNext) {
                begin(queued.poll());
            } else if (reply.then() == NONE_HELD && firstAheadOrNull() != null) {
                awaiting = ended;
                return null;
            } else {
                next(healthy);
            }
        }
        return settled(ended);
    }

    /**
     * Settles a word on a task sent ahead: it began (after a reply that said the JVM held none), or the JVM withdrew it,
     * as asked. Returns the end whose post awaited that word, once the JVM's next task is known.
     */
    private Ended heard(PoolFrames.Word word) throws IOException {
        Ended ended;
        synchronized (this) {
            PooledTask task = null;
            for (PooledTask next : queued) {
                if (next.sentAhead && next.spec.id() == word.id()) {
                    task = next;
                    break;
                }
            }
            if (task == null) {
                if (word.started() && !(current != null && current.spec.id() == word.id())) {
                    throw new IOException("it began task " + word.id() + ", which it was not sent ahead");
                }
                return null; // a task handed over as current, announced: nothing to settle
            }
            if (word.started()) {
                if (awaiting == null || task != queued.peek()) {
                    throw new IOException("it began " + task.spec.name() + " out of turn");
                }
                begin(queued.poll());
            } else {
                queued.remove(task);
                aheadBytes -= task.request.length;
            }
            ended = awaiting;
            if (ended == null || current == null && firstAheadOrNull() != null) {
                return null; // nothing waits, or the word on the task now first is still to come
            }
            awaiting = null;
            if (current == null) {
                next(ended.healthy && stoppedFor == null);
            }
        }
        return settled(ended);
    }

    /** An end to post: a JVM left without a task goes back to the pool first. */
    private Ended settled(Ended ended) {
        boolean free;
        boolean healthy;
        synchronized (this) {
            free = current == null;
            healthy = ended.healthy && stoppedFor == null; // a stop may have come since the reply
        }
        if (free) {
            pool.release(this, healthy);
        }
        return ended;
    }

    private PooledTask firstAheadOrNull() {
        PooledTask first = queued.peek();
        return first != null && first.sentAhead ? first : null;
    }

    /** Makes {@code task}, which the JVM began, its current one. */
    private void begin(PooledTask task) {
        if (task.sentAhead) {
            aheadBytes -= task.request.length;
        }
        task.begun();
        current = task;
        currentSince = System.nanoTime();
    }

    /**
     * With no task begun by the JVM itself: the first task queued here becomes the current one, to be sent, unless the
     * task that ended failed or was stopped (a JVM in a bad state, or about to die: what is queued then does not start).
     */
    private void next(boolean healthy) {
        if (healthy && !queued.isEmpty()) {
            toHandOver = queued.poll();
            begin(toHandOver);
        } else {
            queued.clear();
            aheadBytes = 0;
        }
    }

    /**
     * Sends the JVM the task that became its current one at the last reply, if one did, then the tasks queued behind it
     * that may go ahead (after any reply: room may have been made). A JVM that cannot take it (its last task closed its standard input, or it is exiting) is
     * retired, and another JVM runs the task.
     */
    private void handOverNext() {
        PooledTask next;
        synchronized (toJvm) {
            synchronized (this) {
                next = toHandOver;
                toHandOver = null;
                if (next != null && (next != current || dead)) {
                    return;
                }
            }
            if (next == null) {
                sendQueuedAhead(); // those that waited for room, or for shorter tasks
                return;
            }
            try {
                send(next.request);
                sendQueuedAhead();
                return;
            } catch (IOException e) {
                if (!takeBack(next)) {
                    return;
                }
                log.debug("Could not hand {} to {}; another JVM runs it", next.spec.name(), this, e);
            }
        }
        retire();
        pool.moveElsewhere(next);
    }

    /** Sends ahead, in their order, the queued tasks that waited here, if they may go now. Called with {@link #toJvm} held. */
    private void sendQueuedAhead() {
        List<PooledTask> going = new ArrayList<>();
        synchronized (this) {
            for (PooledTask next : queued) {
                if (next.sentAhead) {
                    continue;
                }
                if (!mayGoAhead(next)) {
                    break;
                }
                markAhead(next);
                going.add(next);
            }
        }
        going.forEach(this::sendAhead);
    }

    /**
     * The JVM is gone: an end that awaited its word is posted (what it held never began), then its task, if it had one,
     * ends without a result, and the tasks queued behind it never start. A task that began only as the JVM was being
     * stopped for the one ahead runs again in another JVM: it may have run there for the moment before the stop.
     */
    private void died() {
        pool.forget(this);
        int exitCode;
        try {
            exitCode = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exitCode = -1;
        }
        Ended waited;
        PooledTask ended;
        PooledTask stopped;
        synchronized (this) {
            dead = true;
            waited = awaiting;
            awaiting = null;
            ended = current;
            current = null;
            stopped = stoppedFor;
            queued.clear();
            aheadBytes = 0;
        }
        try {
            if (waited != null) {
                waited.task.onEnd.accept(waited.outcome);
            }
            if (ended != null && stopped != null && stopped != ended) {
                // It began as its JVM was being stopped for the task ahead, which ended just then: not its fault.
                log.info("{} began in pooled JVM {} as it was being stopped for {}; it runs again in another JVM",
                        ended.spec.name(), process.pid(), stopped.spec.name());
                pool.moveElsewhere(ended);
            } else if (ended != null) {
                moveCrashLogTo(ended);
                ended.onEnd.accept(new WorkerOutcome.Died(exitCode, ProcessTree.signalOf(exitCode), Outcomes.stderrTail(ended.spec.stderr())));
            }
        } catch (RuntimeException e) {
            log.error("Could not report the end of a task of pooled JVM {}", process.pid(), e);
        }
    }

    /** A crash log the JVM wrote goes where the report of {@code task}, which it crashed in, looks for one. */
    private void moveCrashLogTo(PooledTask task) {
        if (crashLog == null || !Files.exists(crashLog)) {
            return;
        }
        try {
            Files.move(crashLog, Outcomes.crashLogOf(task.spec.stdout()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("Pooled JVM {} crashed running {}; its crash log stays in {}: {}", process.pid(), task.spec.name(), crashLog,
                    e.toString());
        }
    }

    @Override
    public String toString() {
        PooledTask task;
        synchronized (this) {
            task = current;
        }
        return "pooled JVM " + process.pid() + (task == null ? "" : " running " + task.spec.name());
    }
}
