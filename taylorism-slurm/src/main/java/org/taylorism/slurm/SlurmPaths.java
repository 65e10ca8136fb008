package org.taylorism.slurm;

import java.io.IOException;
import java.nio.file.Path;
import org.taylorism.spi.LaunchSpec;

/** Checks of the paths handed to srun and sbatch. */
final class SlurmPaths {

    private SlurmPaths() {
    }

    /** Slurm reads '%' in output paths as a pattern ({@code %j}): such a path would not be the worker's file. */
    static void check(LaunchSpec spec) throws IOException {
        for (Path path : new Path[] {spec.stdout(), spec.stderr()}) {
            if (path.toString().contains("%")) {
                throw new IOException("Slurm would read the '%' in the output path " + path
                        + " as a file name pattern; use a run directory (--workdir) without '%'");
            }
        }
    }
}
