package org.taylorism.spi;

import org.taylorism.BossContact;
import org.taylorism.Task;

/**
 * Opens a way back to the Boss for each Java worker it launches, so that the worker can submit sub-tasks and wait
 * for them ({@code Boss.Builder#subTaskChannel}); the server of {@code taylorism serve} is one. Called on the Boss
 * thread: both methods must be quick and must not block. One that throws does not stop the launch: the worker
 * runs without a contact, and the failure is logged.
 */
public interface SubTaskChannel {

    /**
     * A contact for the attempt of {@code task} about to launch, or null to give it none. The contact stays good
     * until {@link #close} is called for the same attempt.
     */
    BossContact open(Task task);

    /** The attempt of {@code task} ended, or never launched: the contact {@link #open} gave it is void. */
    void close(Task task);
}
