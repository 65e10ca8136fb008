package org.taylorism.internal.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taylorism.BossContact;
import org.taylorism.Task;
import org.taylorism.spi.SubTaskChannel;

/**
 * The Boss's {@link SubTaskChannel}, or none, such that a channel that throws costs a worker its contact (and a
 * log line), never its launch or the Boss thread.
 */
final class GuardedChannel {

    private static final Logger log = LoggerFactory.getLogger(GuardedChannel.class);

    private final SubTaskChannel channel;

    /** @param channel the channel, or null for none */
    GuardedChannel(SubTaskChannel channel) {
        this.channel = channel;
    }

    /** A contact for the attempt of {@code task} about to launch, or null. */
    BossContact open(Task task) {
        if (channel == null || task.type().isCommand()) {
            return null;
        }
        try {
            return channel.open(task);
        } catch (RuntimeException | LinkageError e) {
            log.error("The sub-task channel failed to open a contact for worker {}; it runs without one", task.name(), e);
            return null;
        }
    }

    /** The attempt of {@code task} ended or never launched. */
    void close(Task task) {
        if (channel == null || task.type().isCommand()) {
            return;
        }
        try {
            channel.close(task);
        } catch (RuntimeException | LinkageError e) {
            log.error("The sub-task channel failed to close the contact of worker {}", task.name(), e);
        }
    }
}
