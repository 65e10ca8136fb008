package org.taylorism;

/**
 * How strongly a worker class claims the instruction sets it matches. When several classes match one
 * instruction set, the highest priority wins; within a priority, the class that uses more of the supplied
 * attributes wins.
 */
public enum Priority {
    NONE, DEFAULT, TOOLBOX, DEBUG
}
