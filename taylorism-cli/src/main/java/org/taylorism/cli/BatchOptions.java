package org.taylorism.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Where the instruction sets come from: {@code BATCH}, {@code --format}, {@code --set}. */
final class BatchOptions {

    @Parameters(index = "0", paramLabel = "BATCH",
            description = "The batch: a file (.json, .jsonl, .csv, or lines of text), or - for standard input.")
    String batch;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "json ({\"common\": {...}, \"individual\": {...}}), jsonl (one set per line), csv (header ="
                    + " attribute names) or lines (each line is attribute 'line'). Default: by extension; standard input is sniffed.")
    String format;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "An attribute common to every set (VALUE is JSON if it parses, text otherwise); repeatable."
                    + " A set's own value wins.")
    List<String> assignments = new ArrayList<>();

    @Option(names = "--product", paramLabel = "KEY=VALUES",
            description = "A grid: every set is made once per value of KEY (VALUES: 1,2,4 or a JSON array); several --product"
                    + " make every combination, the first varying slowest, as GNU parallel's ::: a b ::: x y. Repeatable.")
    List<String> axes = new ArrayList<>();

    /** Hidden: tests make it small, to stream a batch of a few dozen sets. */
    @Option(names = "--stream-part", hidden = true, paramLabel = "N")
    int streamPart = StreamedBatch.PART;

    /** Where the sets come from, as a run store records it: the batch file's absolute path, or {@code -}. */
    String source() {
        return batch.equals("-") ? "-" : Path.of(batch).toAbsolutePath().normalize().toString();
    }

    /** The batch as a stream, when it is a big JSON Lines file (see {@link StreamedBatch}); null when it is read whole. */
    StreamedBatch streamed() {
        return StreamedBatch.open(batch, format == null ? null : BatchFile.Format.of(format), BatchFile.overrides(assignments),
                BatchFile.product(axes), streamPart);
    }

    List<Map<String, Object>> read(InputStream stdin) {
        return BatchFile.read(batch, format == null ? null : BatchFile.Format.of(format), BatchFile.overrides(assignments),
                BatchFile.product(axes), stdin);
    }
}
