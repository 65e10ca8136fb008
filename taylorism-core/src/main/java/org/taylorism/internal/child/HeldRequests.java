package org.taylorism.internal.child;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.taylorism.internal.PlainBinary;

import static org.taylorism.internal.child.PooledWorkerMain.NONE_HELD;
import static org.taylorism.internal.child.PooledWorkerMain.NOTHING_MORE;
import static org.taylorism.internal.child.PooledWorkerMain.STARTED;
import static org.taylorism.internal.child.PooledWorkerMain.WITHDRAWAL;
import static org.taylorism.internal.child.PooledWorkerMain.WITHDRAWN;
import static org.taylorism.internal.child.PooledWorkerMain.WORD_MAGIC;

/**
 * A pooled JVM's side of the requests the pool sends ahead: read into this JVM while a task runs, held until it ends,
 * and begun in their order, unless the pool withdraws one first.
 *
 * <p>The pool learns which task begins from this JVM alone, before the task's code runs: a reply names the held
 * request it begins next ({@link #declare}); a request sent ahead that begins later, once this JVM waited for the
 * next request, is announced ({@code started}); a held request that a withdrawal took back is answered
 * ({@code withdrawn}). Withdrawals are read at a task's end, before the reply is written, and right after each request
 * read while waiting: so one queued behind a running task is either begun and declared, or withdrawn and answered,
 * never both. After a task that failed, nothing more begins here: the pool retires this JVM.
 *
 * <p>Frames from the pool: a request (a 4-byte length, then its {@link org.taylorism.internal.PlainBinary} map), or a
 * withdrawal ({@link PooledWorkerMain#WITHDRAWAL}, then the task's 8-byte id). Used by the JVM's one thread only.
 */
final class HeldRequests {

    private final DataInputStream requests;
    private final DataOutputStream replies;
    private final PrintStream between;
    private final Deque<PooledWorkerMain.Request> held = new ArrayDeque<>();
    /** No more requests can be read: their end, or an input that a task closed or broke. */
    private boolean ended;
    /** A task failed: nothing more begins. */
    private boolean refusing;
    /** The JVM is exiting (it was signalled, or a task called System.exit): nothing more begins. */
    private volatile boolean shuttingDown;

    HeldRequests(DataInputStream requests, DataOutputStream replies, PrintStream between) {
        this.requests = requests;
        this.replies = replies;
        this.between = between;
    }

    /**
     * The next task, once no reply declared one: a held one, or the next read (waiting for it). A request sent ahead is
     * announced before it begins. Null at the end of the requests, or once a task failed.
     */
    PooledWorkerMain.Request next() throws IOException {
        while (!refusing && !shuttingDown) {
            PooledWorkerMain.Request request = held.poll();
            if (request != null) {
                if (request.ahead()) {
                    word(STARTED, request.id());
                }
                return request;
            }
            if (ended) {
                return null;
            }
            readOne();
            drain();
        }
        return null;
    }

    /**
     * At the end of a task, before its reply: the id of the held request that begins next (it is taken), or
     * {@link PooledWorkerMain#NONE_HELD}, or {@link PooledWorkerMain#NOTHING_MORE} after a failure ({@code succeeded}
     * false) or once the JVM is exiting.
     */
    long declare(boolean succeeded) throws IOException {
        if (!succeeded || shuttingDown) {
            refusing = true;
            held.clear();
            return NOTHING_MORE;
        }
        drain();
        PooledWorkerMain.Request next = held.peek();
        return next == null ? NONE_HELD : next.id();
    }

    /** Called by a shutdown hook: the JVM is exiting. */
    void shutDown() {
        shuttingDown = true;
    }

    /** The request {@link #declare} named: taken from those held. */
    PooledWorkerMain.Request takeDeclared() {
        return held.poll();
    }

    /**
     * Reads the frames that were in the pipe when it began, without waiting for more. The pipe is asked once: each
     * question costs two system calls, and they were more than half of those of a trivial task. A frame that comes
     * meanwhile is read at the next task's end, or as the next request when this JVM waits for one.
     */
    private void drain() throws IOException {
        int waiting = available();
        while (!ended && waiting >= Integer.BYTES) {
            waiting -= readOne();
        }
    }

    private int available() {
        try {
            return requests.available();
        } catch (IOException e) {
            lost(e);
            return 0;
        }
    }

    /** Reads one frame, waiting for it; returns how many bytes it took (none counted once the requests ended). */
    private int readOne() throws IOException {
        int length;
        byte[] frame;
        try {
            length = requests.readInt();
            if (length == WITHDRAWAL) {
                withdraw(requests.readLong());
                return Integer.BYTES + Long.BYTES;
            }
            frame = new byte[length];
            requests.readFully(frame);
        } catch (EOFException end) {
            ended = true;
            return 0;
        } catch (IOException e) {
            lost(e);
            return 0;
        }
        PooledWorkerMain.Request request = PooledWorkerMain.Request.of(PlainBinary.read(frame, "a request from the pool"));
        if (!refusing) {
            held.add(request);
        }
        return Integer.BYTES + length;
    }

    /** A task closed or broke this JVM's standard input: what is held still runs, and nothing more can come. */
    private void lost(IOException e) {
        ended = true;
        between.println("taylorism: the pool's requests can no longer be read (" + e.getMessage() + "); this JVM ends after what it holds");
    }

    private void withdraw(long id) throws IOException {
        for (Iterator<PooledWorkerMain.Request> it = held.iterator(); it.hasNext(); ) {
            if (it.next().id() == id) {
                it.remove();
                word(WITHDRAWN, id);
                return;
            }
        }
        // Begun already (its start was declared), or refused: the pool knows.
    }

    private void word(byte kind, long id) throws IOException {
        replies.writeInt(WORD_MAGIC);
        replies.writeByte(kind);
        replies.writeLong(id);
        replies.flush();
    }
}
