package org.taylorism.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;

/**
 * Feeds a digest the JSON text of one value after another, byte for byte as {@link Json#writePlain} writes each, through
 * one generator kept open: for a thread that digests many small values (the sets of a batch), making a generator per
 * value cost more than the writing. A value found not to be plain is written again through {@link Json#MAPPER}, as
 * {@code writePlain} does. One thread's: not thread-safe.
 */
public final class JsonBytes {

    /** Room kept between values: one big value does not hold its room for good. */
    private static final int KEPT_ROOM = 64 * 1024;

    private Bytes bytes = new Bytes();
    private JsonGenerator generator;

    /** Feeds {@code digest} the JSON text of {@code value}. */
    public void update(MessageDigest digest, Object value) throws IOException {
        if (generator == null) {
            generator = PlainJson.generatorOfValues(bytes);
        }
        boolean written = false;
        try {
            PlainJson.write(generator, value);
            generator.flush();
            written = true;
            bytes.feed(digest);
        } catch (PlainJson.NotPlain e) {
            startAfresh();
            written = true;
            digest.update(Json.MAPPER.writeValueAsBytes(value));
        } finally {
            if (!written) {
                startAfresh(); // whatever broke it (an exception, an error) left it inside a value
            }
            if (bytes.capacity() > KEPT_ROOM) {
                startAfresh();
            }
            bytes.reset();
        }
    }

    /** The generator was left inside a value, or its room grew: the next value gets new ones. */
    private void startAfresh() {
        close();
        bytes = new Bytes();
    }

    /** Hands the generator's buffers back to the factory, which lends them to the thread's next generator. */
    public void close() {
        if (generator != null) {
            try {
                generator.close();
            } catch (IOException | RuntimeException e) {
                // it was left inside a value: what it would still write goes nowhere anyone reads
            }
            generator = null;
        }
    }

    /** Where the generator writes: the bytes of the value being written, read in place. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(256);
        }

        int capacity() {
            return buf.length;
        }

        void feed(MessageDigest digest) {
            digest.update(buf, 0, count);
        }
    }
}
