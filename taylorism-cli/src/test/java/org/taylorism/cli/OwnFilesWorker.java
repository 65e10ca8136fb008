package org.taylorism.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.taylorism.Attribute;
import org.taylorism.Footprint;
import org.taylorism.Worker;

/**
 * Returns the modes of its own task file (the last argument of its JVM) and of the directory it is in, as seen
 * while it runs: a task file is deleted once its worker has ended.
 */
@Footprint(name = "own-files", info = "Returns the modes of its task file and its run directory.")
public class OwnFilesWorker extends Worker {

    @Attribute(info = "A secret the task file holds.")
    private String secret;

    @Override
    protected Object task() throws Exception {
        List<String> arguments = List.of(ProcessHandle.current().info().arguments().orElseThrow());
        Path taskFile = Path.of(arguments.get(arguments.size() - 1));
        return Map.of("task_file", PosixFilePermissions.toString(Files.getPosixFilePermissions(taskFile)),
                "holds_secret", Files.readString(taskFile).contains(secret),
                "run_directory", PosixFilePermissions.toString(Files.getPosixFilePermissions(taskFile.getParent())));
    }
}
