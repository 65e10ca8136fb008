package org.taylorism;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * An instruction set that was not (yet) launched.
 *
 * @param name the worker name it will have
 * @param worker the worker class's short name
 * @param instructions the instruction set as given
 * @param reason why it waits (in interim reports) or why it never ran (in final reports), when known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "worker", "instructions", "reason"})
public record PendingTask(String name, String worker, Map<String, Object> instructions, String reason) {
}
