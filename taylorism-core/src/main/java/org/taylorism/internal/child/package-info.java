/**
 * Not API (see {@code org.taylorism.internal}): the code that runs inside worker JVMs, and only there. A fresh
 * worker JVM runs {@link org.taylorism.internal.child.WorkerMain} on a task file and writes a result file; a
 * pooled JVM runs {@link org.taylorism.internal.child.PooledWorkerMain}, task after task over framed pipes. Both
 * fill the worker, run its task with {@link org.taylorism.internal.child.TaskRunner}, and write its outcome as
 * {@link org.taylorism.internal.child.ResultFile} says.
 *
 * <p>Every class here is on the start path of a short-lived JVM, where each class loaded and each lambda costs
 * milliseconds: no lambdas, no streams, and the databind mapper only for results that need it.
 */
package org.taylorism.internal.child;
