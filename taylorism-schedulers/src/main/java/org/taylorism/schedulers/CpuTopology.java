package org.taylorism.schedulers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The CPUs of this machine in socket-packed order: the first hardware thread of every physical core,
 * socket by socket, then the remaining (SMT sibling) threads, socket by socket. Binding workers in this
 * order fills physical cores before sharing any, and one socket before the next.
 */
final class CpuTopology {

    private record Cpu(int id, int socket, int core) {
    }

    private CpuTopology() {
    }

    /** From /sys/devices/system/cpu, limited to the CPUs this process may run on. */
    static List<Integer> socketPacked() {
        return socketPacked(Path.of("/sys/devices/system/cpu"), allowedCpus(Path.of("/proc/self/status")));
    }

    /**
     * @param sysCpu a directory laid out as /sys/devices/system/cpu
     * @param allowed the CPUs to keep, or null for all
     */
    static List<Integer> socketPacked(Path sysCpu, Set<Integer> allowed) {
        List<Cpu> cpus = new ArrayList<>();
        try (Stream<Path> entries = Files.list(sysCpu)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().matches("cpu\\d+")).toList()) {
                int id = Integer.parseInt(entry.getFileName().toString().substring(3));
                Path topology = entry.resolve("topology");
                if ((allowed != null && !allowed.contains(id)) || !Files.isDirectory(topology)) {
                    continue; // not ours, or offline
                }
                cpus.add(new Cpu(id, readInt(topology.resolve("physical_package_id")), readInt(topology.resolve("core_id"))));
            }
        } catch (IOException | RuntimeException e) {
            cpus.clear();
        }
        if (cpus.isEmpty()) {
            List<Integer> fallback = new ArrayList<>();
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                fallback.add(i);
            }
            return fallback;
        }
        cpus.sort(Comparator.comparingInt(Cpu::socket).thenComparingInt(Cpu::core).thenComparingInt(Cpu::id));
        List<Integer> primaries = new ArrayList<>();
        List<Integer> siblings = new ArrayList<>();
        Cpu previous = null;
        for (Cpu cpu : cpus) {
            boolean sameCore = previous != null && previous.socket() == cpu.socket() && previous.core() == cpu.core();
            (sameCore ? siblings : primaries).add(cpu.id());
            previous = cpu;
        }
        List<Integer> order = new ArrayList<>(primaries);
        order.addAll(siblings);
        return order;
    }

    /** The CPUs of {@code Cpus_allowed_list} in a /proc/PID/status file, or null when unknown. */
    static Set<Integer> allowedCpus(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parseList(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no restriction known
        }
        return null;
    }

    /** A CPU list as Linux writes it: {@code 0-3,8,10-11}. */
    static Set<Integer> parseList(String list) {
        Set<Integer> cpus = new TreeSet<>();
        for (String part : list.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int cpu = from; cpu <= to; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    private static int readInt(Path file) throws IOException {
        return Integer.parseInt(Files.readString(file).trim());
    }
}
