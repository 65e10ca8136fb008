package org.taylorism.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * How a worker JVM is started: {@code JAVA OPTIONS... -cp CLASSPATH MAIN ARGUMENTS...}. A launcher that starts
 * it another way (a warm pool's own main class, a cluster node that needs its CPU count said) derives its
 * command from this one instead of editing the command line.
 *
 * @param java the java executable
 * @param options the JVM options, the Boss's own first and the user's after them (a later option wins)
 * @param classpath the class path
 * @param mainClass the main class
 * @param arguments its arguments
 */
public record JvmCommand(String java, List<String> options, String classpath, String mainClass, List<String> arguments) {

    public JvmCommand {
        options = List.copyOf(options);
        arguments = List.copyOf(arguments);
    }

    /** The command line. */
    public List<String> toList() {
        List<String> command = new ArrayList<>(options.size() + arguments.size() + 4);
        command.add(java);
        command.addAll(options);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    /** This command with {@code option} before every other: any option given already wins over it. */
    public JvmCommand withDefaultOption(String option) {
        List<String> more = new ArrayList<>(options.size() + 1);
        more.add(option);
        more.addAll(options);
        return new JvmCommand(java, more, classpath, mainClass, arguments);
    }

    /** Whether some option starts with {@code prefix} ({@code -XX:ActiveProcessorCount=}, {@code -Xmx}). */
    public boolean hasOption(String prefix) {
        for (String option : options) {
            if (option.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** This command running {@code mainClass} with {@code arguments} instead. */
    public JvmCommand withMain(String mainClass, List<String> arguments) {
        return new JvmCommand(java, options, classpath, mainClass, arguments);
    }
}
