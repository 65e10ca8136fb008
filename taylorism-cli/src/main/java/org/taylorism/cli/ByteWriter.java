package org.taylorism.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A writer for the command line's text that also gives the bytes underneath: programs' output is copied to the
 * user's stdout and stderr byte for byte (binary output, any encoding), never decoded and encoded again.
 */
final class ByteWriter extends PrintWriter {

    private final OutputStream bytes;

    ByteWriter(OutputStream bytes) {
        super(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
        this.bytes = bytes;
    }

    /** The stream under this writer, once the text written so far has gone to it. */
    OutputStream bytes() {
        flush();
        return bytes;
    }
}
