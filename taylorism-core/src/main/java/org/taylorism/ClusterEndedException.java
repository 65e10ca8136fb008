package org.taylorism;

/** The type of the error of a worker that a cluster's resource manager ended (a time limit, a node failure, a preemption). */
public final class ClusterEndedException extends TaylorismException {

    public ClusterEndedException(String message) {
        super(message);
    }
}
