package org.taylorism.internal;

import java.io.DataInput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain values ({@link PlainJson#isPlain}: maps with string keys, lists, strings, numbers, booleans, null) in a compact
 * binary form, for the warm pool's channel, where a trivial task's request and reply cost a pooled JVM more to write and
 * parse as JSON than the task costs to run: a JSON parser or generator is built for each, and numbers go through text.
 *
 * <p>A value read back is the value {@link PlainJson} would read back from its JSON: an integer is the smallest of
 * Integer, Long and BigInteger that holds it, a float or a decimal with a fraction or an exponent a Double, a map keeps
 * its order. The form starts with {@link #MARK}, which no JSON text starts with. Reading checks every length against what
 * is left, so that bytes that are not this form fail with an {@link IOException} that names their source, never with a
 * huge allocation.
 */
public final class PlainBinary {

    /** The first byte of the form: JSON text starts with whitespace or one of {@code {["tfn-0123456789}. */
    public static final byte MARK = (byte) 0xB1;
    private static final int MAX_DEPTH = 1000;

    private static final byte NULL = 0;
    private static final byte FALSE = 1;
    private static final byte TRUE = 2;
    private static final byte INT = 3;
    private static final byte LONG = 4;
    private static final byte BIG_INTEGER = 5;
    private static final byte DOUBLE = 6;
    private static final byte STRING = 7;
    private static final byte LIST = 8;
    private static final byte MAP = 9;

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** A buffer grown past this for a big map or frame is not kept for the next. */
    private static final int KEPT_BYTES = 64 * 1024;

    private PlainBinary() {
    }

    /** Whether {@code bytes} start as this form does (and not as JSON text). */
    public static boolean isBinary(byte[] bytes) {
        return isBinary(bytes, bytes.length);
    }

    /** Whether the first {@code length} bytes of {@code bytes} start as this form does. */
    private static boolean isBinary(byte[] bytes, int length) {
        return length > 0 && bytes[0] == MARK;
    }

    /**
     * {@code value}, which {@link PlainJson#isPlain} accepted, in this form.
     *
     * @throws IllegalArgumentException when it is not plain after all (a thread changed it meanwhile)
     */
    public static byte[] write(Object value) {
        Output out = new Output();
        out.put(MARK);
        out.value(value, 0);
        return out.bytes();
    }

    /**
     * Maps in this form, written entry by entry without the map itself, one after another into one buffer: the warm
     * pool's requests, thousands a second, each of which would otherwise build a map only to walk it once, in a buffer
     * of its own. Not thread-safe.
     */
    public static final class MapWriter {
        private Output out = new Output();
        private int size;
        private int written;

        /**
         * Starts a map of {@code size} entries: {@link #bytes} refuses fewer or more. What was written before is
         * dropped.
         */
        public MapWriter begin(int size) {
            out.length = 0;
            this.size = size;
            written = 0;
            out.put(MARK);
            out.put(MAP);
            out.integer32(size);
            return this;
        }

        /**
         * Writes the next entry.
         *
         * @throws IllegalArgumentException when {@code value} is not plain
         */
        public MapWriter put(String key, Object value) {
            out.string(key);
            out.value(value, 1);
            written++;
            return this;
        }

        /** The map's bytes, once all its entries are written. */
        public byte[] bytes() {
            if (written != size) {
                throw new IllegalStateException("a map of " + size + " entries was written with " + written);
            }
            byte[] bytes = out.bytes();
            if (out.buffer.length > KEPT_BYTES) {
                out = new Output();
            }
            return bytes;
        }
    }

    /** The value in {@code bytes}, which {@code source} sent (named in errors). */
    public static Object read(byte[] bytes, String source) throws IOException {
        return read(new Input(bytes, bytes.length, source, null));
    }

    private static Object read(Input in) throws IOException {
        if (in.next() != MARK) {
            throw in.bad("does not start as a binary frame");
        }
        Object value = in.value(0);
        if (in.at != in.end) {
            throw in.bad((in.end - in.at) + " bytes after the value");
        }
        return value;
    }

    /**
     * Reads frames one after another into one buffer it keeps, and gives a map key it read lately again instead of
     * making it anew: a pooled JVM's replies, thousands a second, each with the same few keys (its results' too, which a
     * Boss may hold as long as the reports). Not thread-safe.
     */
    public static final class FrameReader {
        private static final int KEPT_KEYS = 64;
        private static final int LONGEST_KEPT_KEY = 64;

        private byte[] buffer = new byte[1024];
        /** Keys read lately, each in the slot its bytes' hash names. */
        private final String[] keys = new String[KEPT_KEYS];

        /**
         * The frame of {@code length} bytes read whole from {@code in}, decoded: in this form, or else as JSON text
         * (which {@code source} may send for values this form cannot hold).
         */
        public Object read(DataInput in, int length, String source) throws IOException {
            byte[] frame = buffer;
            if (length > buffer.length) {
                // Doubled, not to the length: frames a little longer each time would each make a buffer.
                frame = new byte[length <= KEPT_BYTES ? Math.max(length, Math.min(KEPT_BYTES, buffer.length * 2)) : length];
                buffer = length <= KEPT_BYTES ? frame : buffer;
            }
            in.readFully(frame, 0, length);
            if (isBinary(frame, length)) {
                return PlainBinary.read(new Input(frame, length, source, this));
            }
            return Json.readPlain(Arrays.copyOf(frame, length), source);
        }

        /** The key in {@code length} bytes from {@code at}: one read lately when its bytes are the same. */
        String key(byte[] bytes, int at, int length) {
            if (length > LONGEST_KEPT_KEY) {
                return new String(bytes, at, length, StandardCharsets.UTF_8);
            }
            int hash = length;
            int allBits = 0;
            for (int i = at; i < at + length; i++) {
                hash = 31 * hash + bytes[i];
                allBits |= bytes[i];
            }
            int slot = (hash ^ (hash >>> 16)) & (KEPT_KEYS - 1);
            String kept = keys[slot];
            if (kept != null && sameAscii(kept, bytes, at, length)) {
                return kept;
            }
            String key = new String(bytes, at, length, StandardCharsets.UTF_8);
            if (allBits >= 0) { // ASCII: a key of other characters would never be found again, only take the slot
                keys[slot] = key;
            }
            return key;
        }

        /**
         * Whether {@code text} is the ASCII of those bytes. A byte of a longer UTF-8 character is negative, and equals
         * no character: bytes that are not ASCII are never taken for a kept key.
         */
        private static boolean sameAscii(String text, byte[] bytes, int at, int length) {
            if (text.length() != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (text.charAt(i) != bytes[at + i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class Output {
        /** Room for a pooled task's request (about 400 bytes) without growing. */
        private byte[] buffer = new byte[512];
        private int length;

        byte[] bytes() {
            return Arrays.copyOf(buffer, length);
        }

        void put(byte b) {
            room(1);
            buffer[length++] = b;
        }

        void value(Object value, int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
            }
            if (value == null) {
                put(NULL);
            } else if (value instanceof String text) {
                put(STRING);
                string(text);
            } else if (value instanceof Boolean flag) {
                put(flag ? TRUE : FALSE);
            } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
                integer(((Number) value).intValue());
            } else if (value instanceof Long number) {
                integer(number);
            } else if (value instanceof BigInteger number) {
                integer(number);
            } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
                decimal(value);
            } else if (value instanceof Map<?, ?> map) {
                put(MAP);
                integer32(map.size());
                int written = 0;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    string((String) entry.getKey());
                    value(entry.getValue(), depth + 1);
                    written++;
                }
                check(written, map.size());
            } else if (value instanceof List<?> list) {
                put(LIST);
                integer32(list.size());
                int written = 0;
                for (Object item : list) {
                    value(item, depth + 1);
                    written++;
                }
                check(written, list.size());
            } else {
                throw new IllegalArgumentException("not a plain value: a " + value.getClass().getName());
            }
        }

        private static void check(int written, int size) {
            if (written != size) {
                throw new IllegalArgumentException("a collection changed while it was written");
            }
        }

        /** As JSON text would be read back: a whole number as an integer, anything else as a double. */
        private void decimal(Object value) {
            if (value instanceof Double number) {
                double64(number);
            } else if (value instanceof Float number) {
                double64(Double.parseDouble(Float.toString(number)));
            } else {
                String text = value.toString();
                if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
                    integer(new BigInteger(text));
                } else {
                    double64(Double.parseDouble(text));
                }
            }
        }

        private void double64(double number) {
            if (!Double.isFinite(number)) {
                throw new IllegalArgumentException("not a finite number: " + number);
            }
            put(DOUBLE);
            integer64(Double.doubleToRawLongBits(number));
        }

        private void integer(long number) {
            if (number == (int) number) {
                put(INT);
                integer32((int) number);
            } else {
                put(LONG);
                integer64(number);
            }
        }

        private void integer(BigInteger number) {
            if (number.bitLength() < 64) {
                integer(number.longValue());
                return;
            }
            byte[] bytes = number.toByteArray();
            put(BIG_INTEGER);
            integer32(bytes.length);
            raw(bytes);
        }

        /** Its UTF-8 bytes after their count; an ASCII string (most keys, names and paths) is copied in without an array of its own. */
        private void string(String text) {
            int count = text.length();
            room(4 + count);
            int start = length + 4;
            for (int i = 0; i < count; i++) {
                char c = text.charAt(i);
                if (c >= 0x80) {
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    integer32(bytes.length);
                    raw(bytes);
                    return;
                }
                buffer[start + i] = (byte) c;
            }
            integer32(count);
            length += count;
        }

        private void integer32(int number) {
            room(4);
            buffer[length++] = (byte) (number >>> 24);
            buffer[length++] = (byte) (number >>> 16);
            buffer[length++] = (byte) (number >>> 8);
            buffer[length++] = (byte) number;
        }

        private void integer64(long number) {
            integer32((int) (number >>> 32));
            integer32((int) number);
        }

        private void raw(byte[] bytes) {
            room(bytes.length);
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
        }

        private void room(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }

    private static final class Input {
        private final byte[] bytes;
        /** Where the frame ends in {@link #bytes}. */
        private final int end;
        private final String source;
        /** Map keys read before, or null to make each. */
        private final FrameReader keys;
        private int at;

        Input(byte[] bytes, int end, String source, FrameReader keys) {
            this.bytes = bytes;
            this.end = end;
            this.source = source;
            this.keys = keys;
        }

        IOException bad(String why) {
            return new IOException(source + " is not a valid binary frame: " + why + " (at byte " + at + " of " + end + ")");
        }

        byte next() throws IOException {
            if (at >= end) {
                throw bad("it ends in the middle of a value");
            }
            return bytes[at++];
        }

        Object value(int depth) throws IOException {
            if (depth > MAX_DEPTH) {
                throw bad("nested deeper than " + MAX_DEPTH);
            }
            byte tag = next();
            return switch (tag) {
                case NULL -> null;
                case FALSE -> Boolean.FALSE;
                case TRUE -> Boolean.TRUE;
                case INT -> integer32();
                case LONG -> smallest(integer64());
                case BIG_INTEGER -> smallest(bigInteger());
                case DOUBLE -> finite(Double.longBitsToDouble(integer64()));
                case STRING -> string();
                case LIST -> list(depth);
                case MAP -> map(depth);
                default -> throw bad("unknown type " + (tag & 0xff));
            };
        }

        private List<Object> list(int depth) throws IOException {
            int size = count(1);
            List<Object> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(value(depth + 1));
            }
            return list;
        }

        private Map<String, Object> map(int depth) throws IOException {
            int size = count(5);
            Map<String, Object> map = new LinkedHashMap<>(Math.max(4, (int) (size / 0.75f) + 1));
            for (int i = 0; i < size; i++) {
                String key = key();
                map.put(key, value(depth + 1));
            }
            return map;
        }

        private String string() throws IOException {
            int length = count(1);
            String text = new String(bytes, at, length, StandardCharsets.UTF_8);
            at += length;
            return text;
        }

        private String key() throws IOException {
            if (keys == null) {
                return string();
            }
            int length = count(1);
            String key = keys.key(bytes, at, length);
            at += length;
            return key;
        }

        /** A count of items, each at least {@code minimumBytes} long: more than the bytes left can hold is no count. */
        private int count(int minimumBytes) throws IOException {
            int count = integer32();
            if (count < 0 || (long) count * minimumBytes > end - at) {
                throw bad("a count of " + count + " where " + (end - at) + " bytes are left");
            }
            return count;
        }

        private byte[] raw(int length) {
            byte[] raw = Arrays.copyOfRange(bytes, at, at + length);
            at += length;
            return raw;
        }

        private int integer32() throws IOException {
            if (end - at < 4) {
                throw bad("it ends in the middle of a number");
            }
            int number = (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | (bytes[at + 3] & 0xff);
            at += 4;
            return number;
        }

        private long integer64() throws IOException {
            long high = integer32();
            return high << 32 | (integer32() & 0xffffffffL);
        }

        private Double finite(double number) throws IOException {
            if (!Double.isFinite(number)) {
                throw bad("a number that is not finite");
            }
            return number;
        }

        private static Number smallest(long number) {
            return number == (int) number ? (Number) (int) number : (Number) number;
        }

        private BigInteger bigInteger() throws IOException {
            int length = count(1);
            if (length == 0) {
                throw bad("an integer of no bytes");
            }
            return new BigInteger(raw(length));
        }

        private static Number smallest(BigInteger number) {
            return number.compareTo(LONG_MIN) >= 0 && number.compareTo(LONG_MAX) <= 0 ? smallest(number.longValue()) : number;
        }
    }
}
