package org.taylorism.slurm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running Slurm job that job steps can be started in: its nodes, and the CPUs and memory it holds on each.
 *
 * @param jobId the job's id
 * @param nodes its share of each node, in Slurm's order
 */
record Allocation(String jobId, List<NodeShare> nodes) {

    Allocation {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("allocation " + jobId + " holds no node");
        }
    }

    /**
     * What the job holds on one node.
     *
     * @param memoryMb its memory there in MiB, 0 when the cluster does not count memory
     */
    record NodeShare(String name, int cpus, long memoryMb) {
        @Override
        public String toString() {
            return name + " (" + cpus + " CPU" + (cpus == 1 ? "" : "s") + (memoryMb > 0 ? ", " + memoryMb + " MiB" : "") + ")";
        }
    }

    int totalCpus() {
        return nodes.stream().mapToInt(NodeShare::cpus).sum();
    }

    /**
     * Reads job {@code jobId} from {@code scontrol show job -d}; it must be running. The CPUs of steps already
     * running in it (the Boss's own, when it runs inside {@code srun}) are not counted as free.
     */
    static Allocation read(SlurmClient slurm, String jobId) {
        String line;
        try {
            line = slurm.run(List.of("scontrol", "show", "job", "-d", "-o", jobId)).strip();
        } catch (SlurmClient.SlurmCommandException e) {
            throw new SlurmUnavailableException("cannot read Slurm allocation " + jobId + ": " + e.getMessage(), e);
        }
        HostLists hostLists = list -> slurm.run(List.of("scontrol", "show", "hostnames", list)).lines().toList();
        Allocation allocation = parse(jobId, line, hostLists);
        String steps;
        try {
            steps = slurm.run(List.of("scontrol", "show", "step", "-o", jobId));
        } catch (SlurmClient.SlurmCommandException noStep) {
            return allocation; // "Job step ... not found": none runs
        }
        return allocation.lessSteps(steps, hostLists);
    }

    /**
     * This allocation without what the steps of {@code scontrol show step -o} hold: each step's CPUs, spread
     * evenly over its nodes. Its batch script and extern step hold nothing of what steps can use.
     */
    Allocation lessSteps(String steps, HostLists hostLists) {
        Map<String, NodeShare> shares = new LinkedHashMap<>();
        nodes.forEach(node -> shares.put(node.name(), node));
        for (String step : steps.lines().filter(line -> !line.isBlank()).toList()) {
            String id = field(step, "StepId");
            String nodeList = field(step, "NodeList");
            String cpus = field(step, "CPUs");
            if (id == null || !id.matches("[0-9]+\\.[0-9]+") || nodeList == null || cpus == null || !cpus.matches("[0-9]+")) {
                continue;
            }
            List<String> hosts = hostLists.expand(nodeList);
            int each = (Integer.parseInt(cpus) + hosts.size() - 1) / hosts.size();
            for (String host : hosts) {
                NodeShare share = shares.get(host);
                if (share != null) {
                    shares.put(host, new NodeShare(host, Math.max(0, share.cpus() - each), share.memoryMb()));
                }
            }
        }
        return new Allocation(jobId, new ArrayList<>(shares.values()));
    }

    /** Expands a Slurm host list ({@code n[1-3]}) into host names. */
    interface HostLists {
        List<String> expand(String hostList);
    }

    static Allocation parse(String jobId, String line, HostLists hostLists) {
        String state = field(line, "JobState");
        if (!"RUNNING".equals(state)) {
            throw new SlurmUnavailableException("Slurm job " + jobId + " is " + (state == null ? "unknown" : state)
                    + ", not a running allocation that job steps can start in");
        }
        // "Nodes=n[1-2] CPU_IDs=0-1 Mem=0 GRES=   Nodes=n3 CPU_IDs=0 Mem=0": one group per set of alike nodes.
        Map<String, NodeShare> shares = new LinkedHashMap<>();
        String[] tokens = line.split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            if (!tokens[i].startsWith("Nodes=")) {
                continue;
            }
            String hosts = tokens[i].substring("Nodes=".length());
            int cpus = 0;
            long memory = 0;
            for (int j = i + 1; j < tokens.length && !tokens[j].startsWith("Nodes="); j++) {
                if (tokens[j].startsWith("CPU_IDs=")) {
                    cpus = countIds(tokens[j].substring("CPU_IDs=".length()), jobId);
                } else if (tokens[j].startsWith("Mem=")) {
                    memory = Long.parseLong(tokens[j].substring("Mem=".length()));
                }
            }
            for (String host : hostLists.expand(hosts)) {
                shares.put(host, new NodeShare(host, cpus, memory));
            }
        }
        if (shares.isEmpty()) {
            throw new SlurmUnavailableException("`scontrol show job -d " + jobId + "` lists no node with its CPUs: '" + line + "'");
        }
        return new Allocation(jobId, new ArrayList<>(shares.values()));
    }

    /** The value of {@code Key=value} in scontrol's one-line output. */
    static String field(String line, String key) {
        for (String token : line.split("\\s+")) {
            if (token.startsWith(key + "=")) {
                return token.substring(key.length() + 1);
            }
        }
        return null;
    }

    /** How many ids {@code 0-1,4,6-7} names. */
    static int countIds(String ids, String jobId) {
        int count = 0;
        for (String range : ids.split(",")) {
            if (range.isEmpty()) {
                continue;
            }
            try {
                int dash = range.indexOf('-');
                count += dash < 0 ? 1 : Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
            } catch (NumberFormatException e) {
                throw new SlurmUnavailableException("cannot read the CPU ids '" + ids + "' of Slurm job " + jobId);
            }
        }
        return count;
    }
}
