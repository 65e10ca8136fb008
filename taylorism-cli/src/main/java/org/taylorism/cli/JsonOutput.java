package org.taylorism.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import org.taylorism.internal.Json;

/** Machine output of the subcommands: indented JSON on the command's standard output. */
final class JsonOutput {

    private JsonOutput() {
    }

    static void print(PrintWriter out, Object value) throws JsonProcessingException {
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        out.flush();
    }
}
