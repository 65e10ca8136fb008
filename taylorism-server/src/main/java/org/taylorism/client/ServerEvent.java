package org.taylorism.client;

import java.util.Map;

/**
 * One event of a server's run, as its event stream sends it: {@code hello} first (a report asked for after it
 * misses nothing the stream then tells), then {@code started}, {@code ended}, {@code retrying}, {@code reconfigured},
 * {@code config-rejected}, {@code run-ended} last, or {@code overrun} when the stream fell too far behind and was
 * ended.
 *
 * @param type what happened
 * @param data its details (for a worker: {@code name}, and for an end {@code status}, {@code cause}...)
 */
public record ServerEvent(String type, Map<String, Object> data) {
}
