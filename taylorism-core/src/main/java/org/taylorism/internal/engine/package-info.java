/**
 * Not API (see {@code org.taylorism.internal}): the engine behind {@link org.taylorism.Boss}. Its threads and its
 * one lifecycle are drawn atop {@link org.taylorism.internal.engine.Engine}; every other class is
 * package-private and owns one concern:
 *
 * <ul>
 *   <li>{@code Inbox}, {@code Message}: the one queue and the gate in front of it;</li>
 *   <li>{@code Intake}: matching, checking and naming instruction sets, in the caller's thread;</li>
 *   <li>{@code Dispatcher}: handling each message and holding the scheduling round, without a thread of its
 *       own, on an injected {@code Clock} and {@code Timer};</li>
 *   <li>{@code Lifecycle}: where the run is; {@code RunBook}: where each set is (pending, delayed, running as an
 *       {@code Attempt}, ended);</li>
 *   <li>{@code SchedulingRound}: one decision, also made outside any Boss ({@link org.taylorism.internal.engine.DryRun});</li>
 *   <li>{@code LaunchPlanner}: run directory, task files, the worker JVM's command, the {@code ClassDataArchive};</li>
 *   <li>{@code Supervisor} and {@code ResourceMonitor}: timeouts, stalls, memory, pause, cancel, stops;</li>
 *   <li>{@code Endings}: what an end means, and the one place that writes a {@link org.taylorism.WorkerReport};</li>
 *   <li>{@code GuardedScheduler}, {@code GuardedLauncher}, {@code Listeners}: plug-ins that throw cost a log line,
 *       a failed worker or an aborted run, never the Boss thread; {@code LiveWorkers}: what close() and the
 *       shutdown hook kill.</li>
 * </ul>
 */
package org.taylorism.internal.engine;
