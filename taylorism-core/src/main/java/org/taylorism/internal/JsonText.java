package org.taylorism.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes values as JSON text, one after another, through one generator kept open. For a thread that writes many
 * small values, such as the run store's writer (two per task): making a generator per value cost more than the
 * writing. Plain values ({@link PlainJson#isPlain}) go through the kept generator, in one walk that checks them as
 * it writes; a value found not to be plain is written again through {@link Json#MAPPER}. A lone UTF-16 surrogate in
 * a string is written as a six-character JSON escape, as the mapper's byte output writes it: written as it is, it would
 * become {@code ?} on the text's way to UTF-8 (the store's driver). One thread's: not thread-safe.
 */
public final class JsonText {

    private final Chars chars = new Chars();
    private JsonGenerator generator;

    /** {@code value} as JSON text. */
    public String of(Object value) throws IOException {
        if (generator == null) {
            generator = PlainJson.generatorOfValues(chars);
        }
        boolean written = false;
        try {
            PlainJson.write(generator, value);
            generator.flush();
            written = true;
            return withLoneSurrogatesEscaped(chars.take());
        } catch (PlainJson.NotPlain e) {
            startAfresh();
            written = true;
            return withLoneSurrogatesEscaped(Json.MAPPER.writeValueAsString(value));
        } finally {
            if (!written) {
                startAfresh(); // whatever broke it (an exception, an error) left it inside a value
            }
        }
    }

    /**
     * {@code json} with each surrogate that is not half of a pair written as its escape: only a string can hold one (JSON's
     * own characters are ASCII), where the escape reads back as the same character.
     */
    static String withLoneSurrogatesEscaped(String json) {
        int length = json.length();
        int at = 0;
        while (at < length && !Character.isSurrogate(json.charAt(at))) {
            at++;
        }
        if (at == length) {
            return json; // the common case: no surrogate at all
        }
        StringBuilder escaped = new StringBuilder(length + 16).append(json, 0, at);
        for (int i = at; i < length; i++) {
            char c = json.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(json.charAt(i + 1))) {
                escaped.append(c).append(json.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                escaped.append(String.format("\\u%04X", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** The generator was left inside a value: the next value gets a new one. */
    private void startAfresh() {
        generator = null;
        chars.take();
    }

    /** Where the generator writes: the characters of the value being written. */
    private static final class Chars extends Writer {
        /** Room kept between values: one big value does not hold its room for good. */
        private static final int KEPT_ROOM = 64 * 1024;
        private StringBuilder text = new StringBuilder(256);

        String take() {
            String taken = text.toString();
            if (text.capacity() > KEPT_ROOM) {
                text = new StringBuilder(256);
            } else {
                text.setLength(0);
            }
            return taken;
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            text.append(buffer, offset, length);
        }

        @Override
        public void write(String string, int offset, int length) {
            text.append(string, offset, offset + length);
        }

        @Override
        public void write(int c) {
            text.append((char) c);
        }

        @Override
        public void flush() {
            // nothing is held here
        }

        @Override
        public void close() {
            // nothing to close
        }
    }
}
