package org.taylorism.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.taylorism.store.JdbcRunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code taylorism gc --older-than 30d}: old runs out of the store, with their run directories. */
@Command(name = "gc",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        description = {"Removes from the run store the runs that started longer ago than --older-than and no longer run, with"
                + " their run directories (a directory named by the run's id: its own)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:internal error", "2:bad usage", "5:the run store cannot be written"})
final class GcCommand implements Callable<Integer> {

    private static final Pattern AGE = Pattern.compile("(\\d+)\\s*([smhdw])");

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions store;

    @Option(names = "--older-than", paramLabel = "AGE", required = true, converter = AgeConverter.class,
            description = "A number and a unit: s, m, h, d (days) or w (weeks), e.g. 30d.")
    private Duration olderThan;

    @Override
    public Integer call() {
        List<String> removed;
        try (JdbcRunStore opened = store.open()) {
            removed = opened.gc(olderThan);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(removed.isEmpty() ? "no run to remove" : "removed " + removed.size() + " runs: " + String.join(" ", removed));
        out.flush();
        return CommandLine.ExitCode.OK;
    }

    /** {@code 30d}, {@code 12h}, {@code 2w}... */
    static final class AgeConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Matcher match = AGE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!match.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an age: a number and a unit, s, m, h, d or w (30d)");
            }
            long amount = Long.parseLong(match.group(1));
            return switch (match.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofDays(7 * amount);
            };
        }
    }
}
