package org.taylorism.internal.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.taylorism.BossListener;
import org.taylorism.HaltPolicy;
import org.taylorism.RetryPolicy;
import org.taylorism.Scheduler;
import org.taylorism.WorkerRegistry;
import org.taylorism.spi.RunStore;
import org.taylorism.spi.SubTaskChannel;
import org.taylorism.spi.WorkerLauncher;

/**
 * A Boss's configuration, fixed when it is built; {@code Boss.Builder} documents each setting and its default.
 *
 * @param scheduler the scheduler as the user gave it (the engine lets the launcher constrain it)
 * @param defaultTimeout the timeout of workers whose instructions give none, or null
 * @param defaultStallTimeout the stall timeout of workers whose instructions give none, or null
 * @param runDirectory where workers' files go, or null for a new temporary directory; with a store, the run's
 *     own directory, named by its id, goes below it (below the store's runs directory when null)
 * @param store where the run is recorded, or null for nowhere
 * @param source where the run's instructions come from, for its store
 * @param recordedOptions the options the run was started with, for its store
 * @param resume the earlier run of the store this one resumes, or null
 * @param subTaskChannel what gives Java workers a contact to this Boss for sub-tasks, or null for none
 * @param retainReports the most reports of ended sets the Boss holds ({@link Integer#MAX_VALUE}: all)
 * @param retainFor the longest the Boss holds a report of an ended set, or null for the whole run
 */
public record EngineSettings(Scheduler scheduler, WorkerLauncher launcher, WorkerRegistry registry, HaltPolicy haltPolicy,
                             RetryPolicy retryPolicy, Duration defaultTimeout, Duration defaultStallTimeout, double memoryTolerance,
                             Duration sampleInterval, boolean verbose, int maxLenReport, List<BossListener> listeners,
                             Duration stopGracePeriod, Path runDirectory, String javaExecutable, List<String> javaOptions,
                             String classpath, boolean classDataSharing, RunStore store, String source,
                             Map<String, String> recordedOptions, ResumeRequest resume, SubTaskChannel subTaskChannel,
                             int retainReports, Duration retainFor) {

    public EngineSettings {
        listeners = List.copyOf(listeners);
        javaOptions = List.copyOf(javaOptions);
        recordedOptions = Map.copyOf(recordedOptions);
    }
}
