package org.taylorism.spi;

import java.time.Instant;
import java.util.Map;
import org.taylorism.WorkerReport;

/** What a Boss round changed, as a {@link RunJournal} records it. */
public sealed interface JournalEntry {

    /**
     * The Boss's number for the set, unique within its run and rising as sets come in: what an attempt names
     * its set by. (The set's stable key, which a resumed run matches sets by, is its {@link SetAccepted}'s.)
     */
    long taskId();

    /**
     * An instruction set was accepted.
     *
     * @param key derived from its worker type and resolved instructions, and its position among identical sets
     *     of the run: the same batch submitted again maps set for set, generated names or not
     * @param taskId the Boss's number for it (its files are named after it)
     * @param name its name
     * @param worker its worker type's name
     * @param instructions the instruction set as given
     * @param parent the name of the running worker that submitted it as a sub-task, or null
     */
    record SetAccepted(String key, long taskId, String name, String worker, Map<String, Object> instructions, String parent)
            implements JournalEntry {

        /** A set submitted to the Boss, not by one of its workers. */
        public SetAccepted(String key, long taskId, String name, String worker, Map<String, Object> instructions) {
            this(key, taskId, name, worker, instructions, null);
        }
    }

    /** An attempt of the set numbered {@code taskId} was launched. */
    record AttemptStarted(long taskId, int attempt, Instant startedAt, int ticket, String stdout, String stderr)
            implements JournalEntry {
    }

    /**
     * An attempt of the set numbered {@code taskId} ended, or the set ended without being launched (rejected,
     * cancelled): its report, with its result or error.
     *
     * @param retried whether another attempt follows; false for the set's last
     */
    record AttemptEnded(long taskId, WorkerReport report, boolean retried) implements JournalEntry {
    }
}
