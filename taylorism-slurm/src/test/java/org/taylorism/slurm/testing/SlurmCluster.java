package org.taylorism.slurm.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Slurm the tests run against. Tests skip themselves when none answers, unless
 * {@code TAYLORISM_REQUIRE_SLURM=1} says that one must (CI brings one up), in which case they fail.
 */
public final class SlurmCluster {

    private static final Pattern GRANTED = Pattern.compile("Granted job allocation (\\d+)");

    private SlurmCluster() {
    }

    public static boolean required() {
        return "1".equals(System.getenv("TAYLORISM_REQUIRE_SLURM"));
    }

    /** Skips (or fails, when required) the calling test unless Slurm answers with at least {@code nodes} nodes. */
    public static void assumeAvailable(int nodes) {
        String why = unavailable(nodes);
        if (why == null) {
            return;
        }
        if (required()) {
            fail("TAYLORISM_REQUIRE_SLURM=1 but " + why);
        }
        Assumptions.abort(why + " (set TAYLORISM_REQUIRE_SLURM=1 to fail instead of skipping)");
    }

    private static String unavailable(int nodes) {
        String ping = run("scontrol", "ping");
        if (!ping.contains("is UP")) {
            return "no Slurm answers here: `scontrol ping` says '" + ping.strip() + "'";
        }
        int have = run("sinfo", "--noheader", "--Node", "--format=%N").strip().lines().toList().size();
        return have >= nodes ? null : "this test needs a Slurm of " + nodes + " nodes, this one has " + have
                + " (SLURM_LOCAL_NODES=3 ../shared/slurm/up.sh)";
    }

    /** Allocates {@code nodes} whole nodes without a shell and returns the job id; fails when Slurm cannot at once. */
    public static String allocate(int nodes, int tasks) {
        String said = run("salloc", "--no-shell", "--immediate=20", "--job-name=taylorism-test", "--nodes=" + nodes, "--ntasks=" + tasks);
        Matcher granted = GRANTED.matcher(said);
        if (!granted.find()) {
            fail("salloc gave no allocation: " + said);
        }
        return granted.group(1);
    }

    /** The ids of the steps still in Slurm's queue for {@code jobId}. */
    public static List<String> steps(String jobId) {
        return run("squeue", "--noheader", "--steps", "--jobs=" + jobId, "--format=%i").strip().lines()
                .filter(line -> !line.isBlank() && !line.endsWith(".extern")).toList();
    }

    public static void cancel(String jobId) {
        run("scancel", jobId);
    }

    /** Runs a Slurm command and returns what it printed on both streams; a failure is part of the text. */
    public static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return output;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
