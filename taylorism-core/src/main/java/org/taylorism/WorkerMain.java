package org.taylorism;

import java.io.IOException;

/**
 * The worker JVM's entry point under its first name, for command lines written before it moved: it hands
 * over to {@code org.taylorism.internal.child.WorkerMain}, which the Boss starts directly.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        org.taylorism.internal.child.WorkerMain.main(args);
    }
}
