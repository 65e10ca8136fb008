package org.taylorism.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One named provider (a scheduler, a launcher) as the listing subcommands print it. */
record ProviderListing(String name, String description, Map<String, String> options) {

    /** Prints {@code providers} sorted by name: as text, an indented line per option, or as JSON. */
    static void print(PrintWriter out, List<ProviderListing> providers, boolean json) throws JsonProcessingException {
        List<ProviderListing> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparing(ProviderListing::name));
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (ProviderListing provider : sorted) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", provider.name());
                entry.put("description", provider.description());
                entry.put("options", provider.options());
                list.add(entry);
            }
            JsonOutput.print(out, list);
        } else {
            for (ProviderListing provider : sorted) {
                out.println(provider.name() + "  " + provider.description());
                provider.options().forEach((option, description) -> out.println(String.format("  %-15s %s", option, description)));
                out.println();
            }
        }
        out.flush();
    }
}
