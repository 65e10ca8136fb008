package org.taylorism.examples;

import java.util.List;
import java.util.Map;
import org.taylorism.Boss;
import org.taylorism.Report;
import org.taylorism.Scheduler;
import org.taylorism.Taylorism;

/**
 * The original's demo as a server: four sleepers (4, 9, 2 and 1 s) on two slots, an interim report after
 * 6 s, one more sleeper added while the others run, then the final report.
 *
 * <pre>java -cp taylorism-cli/target/taylorism.jar:taylorism-examples/target/taylorism-examples.jar org.taylorism.examples.SleepersDemo</pre>
 */
public final class SleepersDemo {

    private SleepersDemo() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Boss boss = Taylorism.runAsServer(
                Map.of("wakeup_sentence", "Hello !", "name", "sleeper_[sleeping_time]"),
                Map.of("sleeping_time", List.of(4, 9, 2, 1)),
                Scheduler.maxThreads(2))) {
            // The demo's own pause: the original's 5 s, plus the worker JVMs' start, so that the 4 s sleeper is done.
            Thread.sleep(6_000);
            Report interim = boss.getReport(true);
            System.out.println("Interim report after 6 s: " + interim.workers().size() + " done, running " + interim.runningNames()
                    + ", pending " + interim.pending().stream().map(p -> p.name() + " (" + p.reason() + ")").toList());

            boss.setInstructions(Map.of("wakeup_sentence", "Late, but here"), Map.of("sleeping_time", List.of(3), "name", List.of("latecomer")));
            Report report = boss.waitTillFinished();
            Taylorism.printBlocks(report, System.out);
            System.out.println("Final report: " + report.status().jsonName() + ", " + report.counts());
        }
    }
}
