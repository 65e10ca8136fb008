package org.taylorism.client;

import java.util.List;

/**
 * A batch a server accepted.
 *
 * @param id the server's id for it, to ask for its report
 * @param names the names of its sets, in order (those it was not given are generated)
 */
public record SubmittedBatch(String id, List<String> names) {

    public SubmittedBatch {
        names = List.copyOf(names);
    }
}
