package org.taylorism.examples;

import org.taylorism.Attribute;
import org.taylorism.Footprint;
import org.taylorism.Worker;

/**
 * A worker that goes wrong on purpose, to show what reports look like when things fail:
 * {@code behaviour} is one of {@code succeed}, {@code raise} (an exception with a cause), {@code exit}
 * (System.exit with {@code exit_code}, no result), {@code kill} (the process dies of SIGKILL), or
 * {@code garbage} (a result that cannot be written as JSON).
 */
@Footprint(name = "misbehaver", info = "Fails on purpose, in the way its behaviour says.")
public class Misbehaver extends Worker {

    @Attribute(values = {"succeed", "raise", "exit", "kill", "garbage"}, info = "How to end.")
    private String behaviour;

    @Attribute(defaultValue = "3", info = "Exit code for behaviour=exit.")
    private int exitCode;

    @Override
    protected Object task() throws Exception {
        System.out.println(name() + " will " + behaviour);
        System.err.println(name() + ": about to " + behaviour);
        System.err.flush();
        switch (behaviour) {
            case "raise" -> throw new IllegalStateException("the input of " + name() + " is inconsistent",
                    new NumberFormatException("For input string: \"x\""));
            case "exit" -> System.exit(exitCode);
            case "kill" -> new ProcessBuilder("kill", "-KILL", String.valueOf(ProcessHandle.current().pid())).start().waitFor();
            case "garbage" -> {
                return new Object();
            }
            default -> {
                return "all good";
            }
        }
        return "unreachable for " + behaviour;
    }
}
