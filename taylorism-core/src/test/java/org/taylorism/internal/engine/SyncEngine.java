package org.taylorism.internal.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.taylorism.BossContact;
import org.taylorism.HaltPolicy;
import org.taylorism.Report;
import org.taylorism.Reconfiguration;
import org.taylorism.RetryPolicy;
import org.taylorism.Scheduler;
import org.taylorism.Signal;
import org.taylorism.Task;
import org.taylorism.WorkerRegistry;
import org.taylorism.spi.SubTaskChannel;
import org.taylorism.testing.RecordingLauncher;
import org.taylorism.testing.TestWorkers;

/**
 * The engine's decisions without a thread: a {@link Dispatcher} fed from a plain queue, on a manual clock and
 * timer, with a recording launcher. Nothing happens until the test delivers the messages or moves the clock,
 * as OkHttp tests its dispatcher.
 */
final class SyncEngine {

    /** Monday 2026-11-23 12:00:00 UTC. */
    static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

    final RecordingLauncher launcher = new RecordingLauncher();
    final ManualClock clock = new ManualClock(START, ZoneId.of("UTC"));
    final ManualTimer timer = new ManualTimer();
    private final Queue<Message> queue = new ArrayDeque<>();
    private final Mailbox mailbox = new Mailbox() {
        private boolean closed;

        @Override
        public boolean post(Message message) {
            return !closed && queue.add(message);
        }

        @Override
        public void close() {
            closed = true;
        }
    };
    /** Each contact opened and closed, in order: "open NAME", "close NAME". */
    final List<String> contacts = new ArrayList<>();
    private final SubTaskChannel channel = new SubTaskChannel() {
        @Override
        public BossContact open(Task task) {
            contacts.add("open " + task.name());
            return new BossContact("http://127.0.0.1:1", "token-of-" + task.name(), null);
        }

        @Override
        public void close(Task task) {
            contacts.add("close " + task.name());
        }
    };
    private final Map<String, Task> tasks = new HashMap<>();
    private final Intake intake;
    private final Dispatcher dispatcher;

    SyncEngine(Scheduler scheduler, HaltPolicy haltPolicy, RetryPolicy retryPolicy, Path runDirectory) {
        this(scheduler, haltPolicy, retryPolicy, runDirectory, Integer.MAX_VALUE, null);
    }

    /** An engine that holds at most {@code retainReports} reports of ended sets, none longer than {@code retainFor}. */
    SyncEngine(Scheduler scheduler, HaltPolicy haltPolicy, RetryPolicy retryPolicy, Path runDirectory, int retainReports,
               Duration retainFor) {
        EngineSettings settings = new EngineSettings(scheduler, launcher,
                WorkerRegistry.builder().register(TestWorkers.Echo.class).build(), haltPolicy, retryPolicy, null, null, 0,
                Duration.ofSeconds(1), false, 1024, List.of(), Duration.ofSeconds(5), runDirectory, "java", List.of(),
                System.getProperty("java.class.path"), false, null, "java", Map.of(), null, channel, retainReports, retainFor);
        GuardedScheduler guarded = new GuardedScheduler(scheduler);
        GuardedLauncher guardedLauncher = new GuardedLauncher(launcher);
        this.intake = new Intake(settings.registry(), guarded::keysRead, clock, new AtomicLong(1));
        this.dispatcher = new Dispatcher(settings, guarded, guardedLauncher, new LaunchPlanner(settings, null, null, true),
                Recorder.NONE, Resumption.NONE, intake.names(), mailbox, clock, timer, ResourceMonitor.disabled(), new LiveWorkers(),
                () -> false);
    }

    /** Submits instruction sets, as a caller does, and lets the engine handle everything that follows. */
    SyncEngine submit(List<Map<String, Object>> sets) {
        Intake.Batch batch = intake.batch(sets);
        batch.tasks().forEach(task -> tasks.put(task.name(), task));
        mailbox.post(new Message.Submit(batch.tasks(), List.of(), batch.waits(), null));
        return deliver();
    }

    /** Submits sub-tasks of the task called {@code parent} (its first attempt), as a server does for its worker. */
    List<Task> submitSubTasks(String parent, List<Map<String, Object>> sets) {
        Task parentTask = tasks.get(parent);
        List<Task> accepted = intake.batch(sets, Engine.subTaskPrefix(parentTask)).tasks();
        accepted.forEach(task -> tasks.put(task.name(), task));
        mailbox.post(new Message.Submit(accepted, List.of(), Map.of(), parentTask));
        deliver();
        return accepted;
    }

    /** The worker of {@code parent} waits for {@code subTasks}; the answer completes once they have ended. */
    CompletableFuture<Void> lend(String parent, List<Task> subTasks) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        mailbox.post(new Message.Lend(tasks.get(parent).id(), subTasks.stream().map(Task::id).toList(), done));
        deliver();
        return done;
    }

    SyncEngine reconfigure(Reconfiguration change) {
        mailbox.post(new Message.Reconfigure(change));
        return deliver();
    }

    SyncEngine send(Signal signal) {
        mailbox.post(new Message.Control(signal));
        return deliver();
    }

    /** Lets the engine handle what is queued, batch after batch, as its thread would, until nothing is left. */
    SyncEngine deliver() {
        while (!queue.isEmpty() && !dispatcher.over()) {
            dispatcher.handleBatch(queue.poll(), queue::poll);
        }
        return this;
    }

    /** Moves the clock on: the timer posts what has come due, and the engine handles it. */
    SyncEngine advance(Duration duration) {
        clock.advance(duration);
        timer.postDue(clock.instant(), mailbox);
        return deliver();
    }

    /** An interim report, as a caller's request gets it. */
    Report report() {
        CompletableFuture<Report> answer = new CompletableFuture<>();
        mailbox.post(new Message.ReportRequest(answer));
        deliver();
        return answer.getNow(null) != null ? answer.join() : dispatcher.finalReport().getNow(null);
    }

    /** The final report, or null while the run goes on. */
    Report finalReport() {
        return dispatcher.finalReport().getNow(null);
    }

    /** A launch's end, told by the launcher: whatever the test did to the recording launcher, now handled. */
    SyncEngine ended() {
        return deliver();
    }

    /** Cancels the set called {@code name}, as a caller does; returns the engine's answer. */
    boolean cancel(String name) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        mailbox.post(new Message.Cancel(name, answer));
        deliver();
        return answer.join();
    }

    /** Pauses ({@code pause}) or continues a running worker, as a caller does; returns the engine's answer. */
    boolean pause(String name, boolean pause) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        mailbox.post(new Message.Pause(name, pause, answer));
        deliver();
        return answer.join();
    }
}
