/**
 * The API: what an application needs to run batches.
 *
 * <ul>
 *   <li>Running: {@link org.taylorism.Boss} (and its {@link org.taylorism.Boss.Builder}),
 *       {@link org.taylorism.Taylorism#batchMain} and {@link org.taylorism.Taylorism#runAsServer},
 *       {@link org.taylorism.Signal}, {@link org.taylorism.BossListener}.</li>
 *   <li>Workers and their footprints: {@link org.taylorism.Worker}, {@link org.taylorism.Attribute},
 *       {@link org.taylorism.Footprint}, {@link org.taylorism.WorkerType}, {@link org.taylorism.WorkerRegistry},
 *       the built-in {@link org.taylorism.CommandWorker}; instruction sets:
 *       {@link org.taylorism.Instructions}, {@link org.taylorism.FileReference}.</li>
 *   <li>Deciding: {@link org.taylorism.Scheduler} (a {@link org.taylorism.Task} waits, a
 *       {@link org.taylorism.RunningWorker} runs), {@link org.taylorism.SchedulingDecision} for one decision
 *       outside any Boss; {@link org.taylorism.HaltPolicy}, {@link org.taylorism.RetryPolicy}.</li>
 *   <li>Results: {@link org.taylorism.Report} and its entries ({@link org.taylorism.WorkerReport},
 *       {@link org.taylorism.AttemptReport}, {@link org.taylorism.PendingTask}, {@link org.taylorism.RunningReport}),
 *       with {@link org.taylorism.WorkerStatus}, {@link org.taylorism.Cause} and {@link org.taylorism.ErrorInfo};
 *       the exceptions a run and its workers end with, all {@link org.taylorism.TaylorismException}s.</li>
 * </ul>
 *
 * <p>Plug-ins implement the contracts of {@code org.taylorism.spi}. Everything under
 * {@code org.taylorism.internal} is not API.
 */
package org.taylorism;
