package org.taylorism.client;

import java.util.Map;

/**
 * One event of a server's run, as its event stream sends it: {@code started}, {@code ended}, {@code retrying},
 * {@code reconfigured}, {@code run-ended}, or {@code overrun} when the stream fell too far behind and was ended.
 *
 * @param type what happened
 * @param data its details (for a worker: {@code name}, and for an end {@code status}, {@code cause}...)
 */
public record ServerEvent(String type, Map<String, Object> data) {
}
