package org.taylorism;

import java.util.List;

/**
 * Bad instructions: individual lists of unequal lengths, or instruction sets that no worker class fits.
 * Nothing of the batch that raised it was queued; what the Boss already had is untouched.
 */
public class InstructionsException extends TaylorismException {

    private final List<String> problems;

    public InstructionsException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems in the instructions:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each naming the instruction set and the value at fault. */
    public List<String> problems() {
        return problems;
    }
}
