/**
 * Examples the README runs: workers ({@link org.taylorism.examples.Sleeper}, {@link org.taylorism.examples.Checksum},
 * {@link org.taylorism.examples.Misbehaver} for every way to fail), a scheduler of one's own with its provider
 * ({@link org.taylorism.examples.FairShareScheduler}), and the original's demo as a server
 * ({@link org.taylorism.examples.SleepersDemo}).
 */
package org.taylorism.examples;
