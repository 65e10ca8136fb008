package org.taylorism.internal.launch;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a process together with every process it started, in two phases: SIGTERM to the whole tree at once,
 * then SIGKILL to whatever of it is left after the grace period.
 *
 * <p>Two nets catch the tree. When the root leads its own process group (launchers start workers through
 * {@code setsid}), the group is signalled, which reaches children whose parent already died. And the tree
 * is read before anything is signalled, because a child whose parent dies is adopted by init and is no
 * longer a descendant of anything we know; such orphans are still signalled through the handles read first.
 */
final class ProcessTree {

    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);

    /** The setsid program, or null where there is none (workers then share the Boss's process group). */
    static final String SETSID = find("setsid");
    private static final String KILL = find("kill");

    private ProcessTree() {
    }

    /**
     * SIGTERM to {@code root} and its descendants now, SIGKILL to the survivors after {@code grace}; returns
     * at once ({@code escalation} sends the SIGKILL). {@code ownGroup} says that {@code root} leads a process group
     * of its own (it was started through setsid), which is then signalled whole.
     */
    static void stop(ProcessHandle root, Duration grace, boolean ownGroup, Escalation escalation) {
        List<ProcessHandle> tree = snapshot(root);
        if (grace.isZero() || grace.isNegative()) {
            kill(tree, ownGroup ? root.pid() : -1);
            return;
        }
        if (ownGroup && root.isAlive()) {
            signalGroup("TERM", root.pid());
        }
        tree.forEach(ProcessHandle::destroy);
        escalation.after(grace, () -> kill(tree, ownGroup ? root.pid() : -1));
    }

    /** Sends {@code signal} (STOP, CONT...) to {@code root}'s group, or to its known tree when it has none. */
    static void signal(ProcessHandle root, String signal, boolean ownGroup) {
        if (ownGroup && KILL != null) {
            signalGroup(signal, root.pid());
            return;
        }
        if (KILL == null) {
            throw new UnsupportedOperationException("no kill program to send SIG" + signal);
        }
        List<String> command = new ArrayList<>(List.of(KILL, "-" + signal));
        snapshot(root).forEach(process -> command.add(String.valueOf(process.pid())));
        try {
            new ProcessBuilder(command).redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start()
                    .waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.warn("Could not send SIG{} to process {}: {}", signal, root.pid(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL to {@code root} and its descendants now, and to its group when it leads one of its own. */
    static void kill(ProcessHandle root, boolean ownGroup) {
        kill(snapshot(root), ownGroup ? root.pid() : -1);
    }

    private static List<ProcessHandle> snapshot(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    private static void kill(List<ProcessHandle> known, long group) {
        // A group whose every known member is gone may have had its number reused: leave it alone.
        if (group > 0 && known.stream().anyMatch(ProcessHandle::isAlive)) {
            signalGroup("KILL", group);
        }
        Set<ProcessHandle> everything = new LinkedHashSet<>();
        for (ProcessHandle process : known) {
            if (process.isAlive()) {
                // Children started during the grace period are killed too.
                process.descendants().forEach(everything::add);
                everything.add(process);
            }
        }
        everything.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * The signal an exit code above 128 stands for, as a shell reads it ({@code 137} is {@code "KILL"}), or
     * null for an ordinary exit code.
     */
    static String signalOf(int exitCode) {
        if (exitCode <= 128 || exitCode >= 128 + 65) {
            return null;
        }
        return switch (exitCode - 128) {
            case 1 -> "HUP";
            case 2 -> "INT";
            case 3 -> "QUIT";
            case 4 -> "ILL";
            case 5 -> "TRAP";
            case 6 -> "ABRT";
            case 7 -> "BUS";
            case 8 -> "FPE";
            case 9 -> "KILL";
            case 10 -> "USR1";
            case 11 -> "SEGV";
            case 12 -> "USR2";
            case 13 -> "PIPE";
            case 14 -> "ALRM";
            case 15 -> "TERM";
            case 24 -> "XCPU";
            case 25 -> "XFSZ";
            default -> String.valueOf(exitCode - 128);
        };
    }

    /** Java has no killpg: the kill program does it (once per stopped worker, not per launch). */
    private static void signalGroup(String signal, long group) {
        if (KILL == null) {
            return;
        }
        try {
            Process kill = new ProcessBuilder(KILL, "-" + signal, "--", "-" + group)
                    .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD).start();
            kill.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.debug("Could not signal process group {}: {}", group, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String find(String program) {
        for (String directory : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        LoggerFactory.getLogger(ProcessTree.class).warn("No {} program found: worker process trees are stopped through"
                + " their known descendants only", program);
        return null;
    }
}
