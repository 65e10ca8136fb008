/**
 * The {@code taylorism} command ({@link org.taylorism.cli.TaylorismCommand}): one picocli class per subcommand
 * ({@code run}, {@code explain}, {@code workers}, {@code schedulers}, {@code launchers}), each a
 * {@code Callable<Integer>} whose exit codes its help lists; batch formats ({@code BatchFile}), progress on the
 * terminal ({@code ProgressView}), Ctrl-C ({@code Interrupts}), and one-line errors ({@code ErrorHandler}).
 */
package org.taylorism.cli;
