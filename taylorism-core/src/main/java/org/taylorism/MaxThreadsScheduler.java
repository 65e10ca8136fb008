package org.taylorism;

/** At most n running, in submission order. The default scheduler. */
final class MaxThreadsScheduler implements Scheduler {

    private final int maxThreads;

    MaxThreadsScheduler(int maxThreads) {
        if (maxThreads < 0) {
            throw new IllegalArgumentException("maxThreads < 0: " + maxThreads);
        }
        this.maxThreads = maxThreads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : maxThreads;
    }

    @Override
    public void schedule(Round round) {
        int free = maxThreads - round.running().size();
        if (free <= 0) {
            return;
        }
        for (Task task : round.pending()) {
            if (round.launch(task) >= 0 && --free == 0) {
                return;
            }
        }
    }

    @Override
    public String name() {
        return "max-threads(" + maxThreads + ")";
    }

    @Override
    public boolean countsOnly() {
        return true;
    }

    @Override
    public String whyWaiting(Task task, Round round) {
        int running = round.running().size();
        return running >= maxThreads ? running + "/" + maxThreads + " threads busy" : null;
    }

    int maxThreads() {
        return maxThreads;
    }
}
