package org.taylorism.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in this JVM with captured stdout and stderr, as picocli's own tests do. */
final class CliRun {

    final Captured out = new Captured();
    final Captured err = new Captured();

    int run(String... args) {
        picocli.CommandLine commandLine = TaylorismCommand.commandLine();
        commandLine.setOut(new ByteWriter(out));
        commandLine.setErr(new ByteWriter(err));
        return commandLine.execute(args);
    }

    /** What the command line wrote, as bytes (programs' output is copied byte for byte) and as UTF-8 text. */
    static final class Captured extends ByteArrayOutputStream {
        @Override
        public synchronized String toString() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    int runWithStdin(String stdin, String... args) {
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            return run(args);
        } finally {
            System.setIn(original);
        }
    }
}
