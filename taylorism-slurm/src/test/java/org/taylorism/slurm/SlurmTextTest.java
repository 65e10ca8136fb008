package org.taylorism.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taylorism.spi.ClusterState;

/** What the launcher reads from Slurm's answers and from its options, without a Slurm. */
class SlurmTextTest {

    @Test
    void anAllocationIsReadNodeGroupByNodeGroup() {
        String line = "JobId=7 JobName=x JobState=RUNNING Reason=None NodeList=n[1-3] NumCPUs=5 TRES=cpu=5,node=3 JOB_GRES=(null)"
                + "   Nodes=n[1-2] CPU_IDs=0-1 Mem=2048 GRES=   Nodes=n3 CPU_IDs=0,2-3 Mem=0 GRES= MinCPUsNode=1";
        Allocation allocation = Allocation.parse("7", line,
                list -> list.equals("n[1-2]") ? List.of("n1", "n2") : List.of(list));
        assertEquals(List.of(new Allocation.NodeShare("n1", 2, 2048), new Allocation.NodeShare("n2", 2, 2048),
                new Allocation.NodeShare("n3", 3, 0)), allocation.nodes());
        assertEquals(7, allocation.totalCpus());
    }

    @Test
    void stepsAlreadyRunningInTheAllocationHoldTheirCpus() {
        Allocation allocation = new Allocation("7", List.of(new Allocation.NodeShare("n1", 2, 0), new Allocation.NodeShare("n2", 4, 0)));
        String steps = "StepId=7.batch UserId=0 State=RUNNING NodeList=n1 Nodes=1 CPUs=2 Tasks=1 Name=batch\n"
                + "StepId=7.0 UserId=0 State=RUNNING NodeList=n2 Nodes=1 CPUs=3 Tasks=1 Name=taylorism\n";
        assertEquals(List.of(new Allocation.NodeShare("n1", 2, 0), new Allocation.NodeShare("n2", 1, 0)),
                allocation.lessSteps(steps, List::of).nodes());
    }

    @Test
    void aJobThatIsNotRunningIsNoAllocation() {
        SlurmUnavailableException error = assertThrows(SlurmUnavailableException.class,
                () -> Allocation.parse("5", "JobId=5 JobState=NODE_FAIL Reason=NodeDown", List::of));
        assertTrue(error.getMessage().contains("Slurm job 5 is NODE_FAIL"), error.getMessage());
    }

    @Test
    void slurmsOwnWordsTellItsReasons() {
        assertEquals(ClusterState.TIMEOUT, SlurmMessages.clusterState(
                "slurmstepd-n1: error: *** STEP 4.2 ON n1 CANCELLED AT 2026-11-23T02:16:29 DUE TO TIME LIMIT ***"));
        assertEquals(ClusterState.NODE_FAIL, SlurmMessages.clusterState("srun: error: Node failure on n2"));
        assertEquals(ClusterState.NODE_FAIL, SlurmMessages.clusterState(
                "slurmstepd-n1: error: *** STEP 5.0 ON n1 CANCELLED AT 2026-11-23T02:16:56 DUE TO NODE FAILURE, SEE SLURMCTLD LOG ***"));
        assertEquals(ClusterState.PREEMPTED, SlurmMessages.clusterState("*** STEP 5.0 ON n1 CANCELLED AT x DUE TO PREEMPTION ***"));
        assertEquals(ClusterState.OUT_OF_MEMORY, SlurmMessages.clusterState(
                "slurmstepd: error: Detected 1 oom_kill event in StepId=9.0. Some of the step tasks have been OOM Killed."));
        assertEquals(ClusterState.CANCELLED, SlurmMessages.clusterState("slurmstepd-n2: error: *** STEP 4.0 ON n2 CANCELLED AT 2026-11-23 ***"));
        assertNull(SlurmMessages.clusterState("srun: error: n1: task 0: Exited with exit code 3"));
    }

    @Test
    void cpusComeFromTheChosenKey() {
        CpusPerWorker cpus = new CpusPerWorker("ncpu");
        assertEquals(1, cpus.of(Map.of("cpus", 8)));
        assertEquals(4, cpus.of(Map.of("ncpu", 4)));
        assertEquals(2, cpus.of(Map.of("ncpu", "2")));
        assertEquals(3, cpus.of(Map.of("ncpu", 3.0)));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> cpus.of(Map.of("ncpu", 0.5)));
        assertEquals("its 'ncpu' is 0.5, not a whole number of CPUs from 1 to 4096", error.getMessage());
    }

    @Test
    void optionsAreCheckedAndNamedInErrors() {
        SlurmOptions options = SlurmLauncherProvider.parse(Map.of("mode", "jobs", "partition", "short", "srun-args", "--mpi=none  -v",
                "poll", "0.25", "max-jobs", "10", "cpus-attribute", "threads", "time", "30", "array", "50"));
        assertEquals(SlurmOptions.Mode.JOBS, options.mode());
        assertEquals("short", options.partition());
        assertEquals(List.of("--mpi=none", "-v"), options.srunArguments());
        assertEquals(Duration.ofMillis(250), options.pollInterval());
        assertEquals(10, options.maxJobs());
        assertEquals("threads", options.cpusAttribute());
        assertEquals("30", options.timeLimit());
        assertEquals(50, options.arraySize());
        assertEquals("option mode of launcher slurm is 'cluster', not one of auto, steps, jobs",
                assertThrows(IllegalArgumentException.class, () -> SlurmLauncherProvider.parse(Map.of("mode", "cluster"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlurmLauncherProvider.parse(Map.of("queue", "x")))
                .getMessage().startsWith("unknown option 'queue' of launcher slurm; known: [mode, job, partition"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlurmLauncherProvider.parse(Map.of("poll", "soon")))
                .getMessage().contains("'soon'"));
        assertEquals("2-12:00:00", SlurmLauncherProvider.parse(Map.of("time", "2-12:00:00")).timeLimit());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlurmLauncherProvider.parse(Map.of("time", "abc")))
                .getMessage().startsWith("option time of launcher slurm is 'abc', not a Slurm time limit"));
    }

    @Test
    void missingCommandsAreNamed() {
        SlurmUnavailableException error = assertThrows(SlurmUnavailableException.class,
                () -> new SlurmClient().checkAvailable("/nonexistent"));
        assertTrue(error.getMessage().startsWith("Slurm's commands [srun, sbatch, squeue, scancel, scontrol] are not on the PATH"
                + " (/nonexistent)"), error.getMessage());
    }
}
