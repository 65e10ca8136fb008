package org.taylorism.cli;

import java.nio.file.Path;
import org.taylorism.store.JdbcRunStore;
import picocli.CommandLine.Option;

/** Which run store a command uses: {@code --store PATH}, else the user's ({@code $XDG_STATE_HOME/taylorism/runs.db}). */
final class StoreOptions {

    @Option(names = "--store", paramLabel = "PATH",
            description = "The run store: an SQLite file, made if missing (default: $XDG_STATE_HOME/taylorism/runs.db,"
                    + " or ~/.local/state/taylorism/runs.db).")
    Path store;

    Path file() {
        return store != null ? store : JdbcRunStore.defaultFile();
    }

    /** Opens it; a store that cannot be used is the {@link org.taylorism.RunStoreException} that says why (exit 5). */
    JdbcRunStore open() {
        return JdbcRunStore.open(file());
    }
}
