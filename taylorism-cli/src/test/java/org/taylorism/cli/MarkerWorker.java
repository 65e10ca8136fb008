package org.taylorism.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.taylorism.Attribute;
import org.taylorism.Footprint;
import org.taylorism.Worker;

/**
 * Counts its own runs: works a while, then, as the last thing its task does, leaves a marker file of its own in
 * {@code marker_directory} (named after the worker, its JVM and the moment), so that a test can tell how many
 * times each set ran.
 */
@Footprint(name = "marker", info = "Works work_ms, then leaves a marker file in marker_directory.")
public class MarkerWorker extends Worker {

    @Attribute(info = "Where the marker files go.")
    private String markerDirectory;

    @Attribute(defaultValue = "0", info = "Milliseconds of work before the marker.")
    private long workMs;

    @Override
    protected Object task() throws Exception {
        Thread.sleep(workMs);
        Files.createFile(Path.of(markerDirectory).resolve(name() + "." + ProcessHandle.current().pid() + "." + System.nanoTime()));
        return name();
    }
}
