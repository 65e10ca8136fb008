package org.taylorism.benchmarks;

/** A Java program that does nothing: its start, through xargs, is the floor of benchmark row (c). */
public final class EmptyMain {

    private EmptyMain() {
    }

    public static void main(String[] args) {
        // the JVM's own start and exit are all there is to measure
    }
}
