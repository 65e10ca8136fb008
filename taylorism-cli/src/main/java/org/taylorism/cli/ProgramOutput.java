package org.taylorism.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.taylorism.BossListener;
import org.taylorism.RunningWorker;
import org.taylorism.WorkerReport;

/**
 * Prints the programs' own stdout and stderr on taylorism's, as {@link OutputOptions} say, from the files every
 * worker writes in the run directory. The Boss thread only queues what happened; a thread of this class's own
 * reads the files and prints, so that a slow reader of the output (a pager, a full pipe) slows the printing, never
 * the run. Output is copied byte for byte; only whole lines are printed while a worker runs ({@code line}), so
 * that two workers' lines never mix within a line.
 */
final class ProgramOutput implements BossListener, AutoCloseable {

    /** How often the files of running workers are read, in {@code line} mode. */
    private static final long TAIL_EVERY_MS = 100;
    /** Bytes read at a time; also the longest line held back while a worker runs. */
    private static final int CHUNK = 64 * 1024;

    private sealed interface Event {
    }

    /** The names of the batch's sets, in order. */
    private record Expected(List<String> names) implements Event {
    }

    /** An attempt started, writing to these files. */
    private record Started(String name, Path stdout, Path stderr) implements Event {
    }

    /** An attempt failed and will be tried again. */
    private record Retrying(String name) implements Event {
    }

    /** A set's last attempt ended, with these files; null when it never ran, or ran in an earlier run. */
    private record Ended(String name, Path stdout, Path stderr) implements Event {
    }

    /** The run is over: print what is left. */
    private record Finish() implements Event {
    }

    private final OutputOptions.Mode mode;
    private final boolean tag;
    private final boolean keepOrder;
    private final Sink out;
    private final Sink err;
    private final ProgressView progress;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread printer;

    // Owned by the printer thread.
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private List<String> order;
    private int head;
    private boolean progressHidden;

    /**
     * @param progress the progress display, kept off the line while output is printed
     */
    ProgramOutput(OutputOptions.Mode mode, boolean tag, boolean keepOrder, PrintWriter out, PrintWriter err, ProgressView progress) {
        this.mode = mode;
        this.tag = tag;
        this.keepOrder = keepOrder;
        this.out = new Sink(out);
        this.err = new Sink(err);
        this.progress = progress;
        printer = new Thread(this::print, "taylorism-output");
        printer.setDaemon(true);
        if (mode != OutputOptions.Mode.NONE) {
            printer.start();
        }
    }

    /** The batch's set names in order, which {@code --keep-order} prints in. */
    void expect(List<String> names) {
        queue(new Expected(List.copyOf(names)));
    }

    @Override
    public void started(RunningWorker worker) {
        queue(new Started(worker.name(), worker.stdout(), worker.stderr()));
    }

    @Override
    public void retrying(WorkerReport failedAttempt, java.time.Duration backoff) {
        queue(new Retrying(failedAttempt.name()));
    }

    /** A set's end; one carried over from an earlier run has nothing to print (its output is that run's). */
    @Override
    public void ended(WorkerReport report) {
        boolean printable = report.carriedFrom() == null && report.stdout() != null;
        queue(new Ended(report.name(), printable ? Path.of(report.stdout()) : null,
                printable && report.stderr() != null ? Path.of(report.stderr()) : null));
    }

    private void queue(Event event) {
        if (mode != OutputOptions.Mode.NONE) {
            events.add(event);
        }
    }

    /** Prints what is left, then returns: everything the workers wrote is printed by then. */
    @Override
    public void close() {
        if (mode == OutputOptions.Mode.NONE) {
            return;
        }
        events.add(new Finish());
        try {
            printer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void print() {
        long nextTail = System.nanoTime();
        while (true) {
            Event event;
            try {
                event = mode == OutputOptions.Mode.LINE
                        ? events.poll(Math.max(0, nextTail - System.nanoTime()), TimeUnit.NANOSECONDS) : events.take();
            } catch (InterruptedException e) {
                return;
            }
            if (event instanceof Finish) {
                printAll();
                return;
            }
            if (event != null) {
                take(event);
            }
            if (mode == OutputOptions.Mode.GROUP || System.nanoTime() - nextTail >= 0) {
                printReady();
                nextTail = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TAIL_EVERY_MS);
            }
        }
    }

    private void take(Event event) {
        if (event instanceof Expected expected) {
            order = expected.names();
        } else if (event instanceof Started started) {
            jobs.computeIfAbsent(started.name(), Job::new).attempts.add(new Attempt(started.stdout(), started.stderr()));
        } else if (event instanceof Retrying retrying) {
            Job job = jobs.get(retrying.name());
            if (job != null && !job.attempts.isEmpty()) {
                job.attempts.get(job.attempts.size() - 1).ended = true;
            }
        } else if (event instanceof Ended ended) {
            Job job = jobs.computeIfAbsent(ended.name(), Job::new);
            Attempt last = job.attempts.isEmpty() ? null : job.attempts.get(job.attempts.size() - 1);
            if (ended.stdout() != null && (last == null || !ended.stdout().equals(last.stdout.file))) {
                job.attempts.add(new Attempt(ended.stdout(), ended.stderr())); // its start was not seen
            }
            job.attempts.forEach(attempt -> attempt.ended = true);
            job.ended = true;
        }
    }

    /** Prints what may be printed now; the jobs done with are let go of. */
    private void printReady() {
        if (keepOrder) {
            while (order != null && head < order.size()) {
                Job job = jobs.get(order.get(head));
                if (job == null) {
                    return;
                }
                print(job, false);
                if (!job.ended) {
                    return;
                }
                jobs.remove(job.name);
                head++;
            }
            return;
        }
        for (Iterator<Job> each = jobs.values().iterator(); each.hasNext(); ) {
            Job job = each.next();
            print(job, false);
            if (job.ended) {
                each.remove();
            }
        }
    }

    /** The run is over: everything not printed yet, in order when it is kept. */
    private void printAll() {
        if (keepOrder && order != null) {
            for (; head < order.size(); head++) {
                Job job = jobs.remove(order.get(head));
                if (job != null) {
                    print(job, true);
                }
            }
        }
        for (Job job : jobs.values()) {
            print(job, true);
        }
        jobs.clear();
    }

    /** Prints what {@code job} has for now: in {@code group} mode its last attempt once it ended; else new whole lines. */
    private void print(Job job, boolean last) {
        boolean group = mode == OutputOptions.Mode.GROUP;
        if (group && !job.ended && !last) {
            return;
        }
        List<Attempt> toPrint = group ? job.attempts.subList(Math.max(0, job.attempts.size() - 1), job.attempts.size()) : job.attempts;
        try {
            for (Attempt attempt : toPrint) {
                boolean whole = attempt.ended || last;
                print(attempt.stdout, job.name, whole);
                print(attempt.stderr, job.name, whole);
            }
        } finally {
            if (progressHidden) {
                out.flush();
                err.flush();
                progressHidden = false;
                progress.show();
            }
        }
    }

    /** Before the first byte printed: the progress line is cleared, and kept off until the printing is done. */
    private void beforeWriting() {
        if (!progressHidden) {
            progressHidden = true;
            progress.hide();
        }
    }

    /** Prints the bytes of {@code tail}'s file not printed yet: all of them when {@code whole}, else whole lines only. */
    private void print(Tail tail, String name, boolean whole) {
        if (tail.file == null || tail.done) {
            return;
        }
        tail.done = whole;
        try {
            BasicFileAttributes attributes = Files.readAttributes(tail.file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return; // a worker may put a FIFO there: opening it would block this thread
            }
            try (FileChannel channel = FileChannel.open(tail.file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                long size = channel.size();
                ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
                while (tail.at < size) {
                    buffer.clear().limit((int) Math.min(CHUNK, size - tail.at));
                    int read = channel.read(buffer, tail.at);
                    if (read <= 0) {
                        break;
                    }
                    int length = read;
                    if (!whole) {
                        length = lastNewline(buffer.array(), read) + 1;
                        if (length == 0 && read < CHUNK) {
                            break; // a partial line: printed once it is whole, or at the end
                        }
                        length = length == 0 ? read : length; // a line longer than a chunk goes in pieces
                    }
                    tail.sink.write(tail, tag ? Terminal.printable(name) + "\t" : null, buffer.array(), length);
                    tail.at += length;
                }
            }
        } catch (IOException e) {
            if (!Files.notExists(tail.file)) {
                beforeWriting();
                err.text.println("taylorism: could not print the output of " + Terminal.printable(name) + " from " + tail.file + ": " + e);
            }
        }
        if (whole && tag && !tail.atLineStart) {
            tail.sink.write(tail, null, new byte[] {'\n'}, 1);
        }
    }

    private static int lastNewline(byte[] bytes, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** One set as printed: its attempts in order. */
    private static final class Job {
        final String name;
        final List<Attempt> attempts = new ArrayList<>(1);
        boolean ended;

        Job(String name) {
            this.name = name;
        }
    }

    /** One attempt's two files. */
    private final class Attempt {
        final Tail stdout;
        final Tail stderr;
        boolean ended;

        Attempt(Path stdout, Path stderr) {
            this.stdout = new Tail(stdout, out);
            this.stderr = new Tail(stderr, err);
        }
    }

    /** How far a file was printed. */
    private static final class Tail {
        final Path file;
        final Sink sink;
        long at;
        boolean atLineStart = true;
        boolean done;

        Tail(Path file, Sink sink) {
            this.file = file;
            this.sink = sink;
        }
    }

    /** Taylorism's stdout or stderr: the bytes under its writer, or the writer itself when it has none. */
    private final class Sink {
        final PrintWriter text;
        final OutputStream bytes;

        Sink(PrintWriter text) {
            this.text = text;
            this.bytes = text instanceof ByteWriter writer ? writer.bytes() : null;
        }

        /** Writes {@code length} bytes, each line started with {@code prefix} when there is one. */
        void write(Tail tail, String prefix, byte[] data, int length) {
            if (prefix == null) {
                raw(data, 0, length);
                tail.atLineStart = length > 0 ? data[length - 1] == '\n' : tail.atLineStart;
                return;
            }
            byte[] tagBytes = prefix.getBytes(StandardCharsets.UTF_8);
            int from = 0;
            while (from < length) {
                if (tail.atLineStart) {
                    raw(tagBytes, 0, tagBytes.length);
                }
                int newline = from;
                while (newline < length && data[newline] != '\n') {
                    newline++;
                }
                int end = Math.min(length, newline + 1);
                raw(data, from, end - from);
                tail.atLineStart = newline < length;
                from = end;
            }
        }

        private void raw(byte[] data, int offset, int length) {
            beforeWriting();
            if (bytes == null) {
                text.write(new String(data, offset, length, StandardCharsets.UTF_8)); // no bytes to give: decoded
                return;
            }
            try {
                bytes.write(data, offset, length);
            } catch (IOException e) {
                // Standard output closed (taylorism run ... | head): the rest is in the run directory's files.
            }
        }

        void flush() {
            if (bytes == null) {
                text.flush();
                return;
            }
            try {
                bytes.flush();
            } catch (IOException e) {
                // as above
            }
        }
    }
}
