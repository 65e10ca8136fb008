package org.taylorism.internal.launch;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.BossContact;
import org.taylorism.internal.Json;
import org.taylorism.internal.PlainBinary;
import org.taylorism.internal.PlainJson;
import org.taylorism.internal.child.PooledWorkerMain;
import org.taylorism.spi.LaunchSpec;

import static org.taylorism.internal.child.PooledWorkerMain.STARTED;
import static org.taylorism.internal.child.PooledWorkerMain.WITHDRAWN;
import static org.taylorism.internal.child.PooledWorkerMain.WORD_MAGIC;

/**
 * The warm pool's side of the frames {@link PooledWorkerMain} reads and writes: a task's request, and the
 * reading of a reply or a word, each told apart from whatever else the JVM printed on its standard output by its magic
 * number.
 */
final class PoolFrames {

    private static final Logger log = LoggerFactory.getLogger(PoolLauncher.class);
    private static final int MAX_FRAME_BYTES = 512 * 1024 * 1024;

    private PoolFrames() {
    }

    /**
     * The frame that hands {@code spec} to a pooled JVM; {@code ahead} for one that may reach the JVM while a task
     * runs there (it then says when it begins the task, see {@code HeldRequests}); written with {@code writer}.
     */
    static byte[] request(LaunchSpec spec, boolean ahead, PlainBinary.MapWriter writer) throws IOException {
        BossContact contact = spec.bossContact();
        PlainBinary.MapWriter request = writer.begin(7 + (contact != null ? 1 : 0) + (ahead ? 1 : 0))
                .put("id", spec.id())
                .put("workerClass", spec.workerClass())
                .put("name", spec.name())
                .put("ticket", spec.ticket())
                .put("values", plain(spec.values()))
                .put("stdout", spec.stdout().toString())
                .put("stderr", spec.stderr().toString());
        if (contact != null) {
            request.put("boss", contact.toMap());
        }
        if (ahead) {
            request.put("ahead", true);
        }
        return request.bytes();
    }

    /** Values the mapper writes (a record in an instruction set) reach the JVM as the plain JSON it would read. */
    private static Object plain(Map<String, Object> values) throws IOException {
        return PlainJson.isPlain(values) ? values : Json.readPlain(Json.writePlain(values), "a request's values");
    }

    /** A frame from a pooled JVM. */
    sealed interface FromJvm permits Reply, Word {
    }

    /** A task's outcome, and the id of the task the JVM begins next: {@link PooledWorkerMain#NONE_HELD}, {@link PooledWorkerMain#NOTHING_MORE}, or an id. */
    record Reply(long then, Map<?, ?> outcome) implements FromJvm {
    }

    /** The JVM began a request sent ahead ({@code started}), or withdrew it, as asked. */
    record Word(boolean started, long id) implements FromJvm {
    }

    /**
     * The next frame of the JVM {@code pid}, whose replies are named {@code source} in errors, read with its reader
     * thread's {@code frames}.
     *
     * @throws EOFException at the end of the JVM's output
     * @throws IOException when what follows a magic number is not a frame
     */
    static FromJvm next(DataInputStream fromJvm, PlainBinary.FrameReader frames, long pid, String source) throws IOException {
        if (skipToFrame(fromJvm, pid) == WORD_MAGIC) {
            byte kind = fromJvm.readByte();
            if (kind != STARTED && kind != WITHDRAWN) {
                throw new IOException("a word of kind " + kind);
            }
            return new Word(kind == STARTED, fromJvm.readLong());
        }
        long then = fromJvm.readLong();
        int length = fromJvm.readInt();
        if (length < 0 || length > MAX_FRAME_BYTES) {
            throw new IOException("a reply frame of " + length + " bytes");
        }
        Object decoded = frames.read(fromJvm, length, source);
        if (!(decoded instanceof Map<?, ?> reply)) {
            throw new IOException("a reply that is not an object");
        }
        return new Reply(then, reply);
    }

    /**
     * Reads up to the next frame's magic number. Bytes before it are the JVM's own prints on its standard output,
     * outside the channel: they are logged and skipped.
     */
    private static int skipToFrame(DataInputStream fromJvm, long pid) throws IOException {
        int window = 0;
        int read = 0;
        StringBuilder skipped = null;
        while (true) {
            int next = fromJvm.read();
            if (next < 0) {
                throw new EOFException();
            }
            if (read >= 4) {
                // The oldest byte of the window leaves it: not part of a magic number.
                skipped = skipped == null ? new StringBuilder() : skipped;
                if (skipped.length() < 2000) {
                    skipped.append((char) (window >>> 24 & 0xff));
                }
            }
            window = window << 8 | next;
            if (++read >= 4 && (window == PooledWorkerMain.FRAME_MAGIC || window == WORD_MAGIC)) {
                if (skipped != null) {
                    log.info("Pooled JVM {} printed on its standard output, outside the channel: {}", pid, skipped.toString().strip());
                }
                return window;
            }
        }
    }
}
