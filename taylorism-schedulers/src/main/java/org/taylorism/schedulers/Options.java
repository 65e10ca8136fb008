package org.taylorism.schedulers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Text options of one scheduler provider, with errors that name the scheduler, the option and the value. */
final class Options {

    private final String scheduler;
    private final Map<String, String> values;

    Options(String scheduler, Map<String, String> values, Set<String> known) {
        this.scheduler = scheduler;
        this.values = Map.copyOf(values);
        List<String> unknown = new ArrayList<>();
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("scheduler " + scheduler + ": unknown option" + (unknown.size() > 1 ? "s " : " ")
                    + unknown + "; its options are " + known.stream().sorted().toList());
        }
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    int count(String key, int defaultValue) {
        String text = values.get(key);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(key, text, "a whole number, 0 or more");
    }

    boolean flag(String key) {
        String text = values.get(key);
        if (text == null) {
            return false;
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "" -> {
                return true;
            }
            case "false", "no", "off" -> {
                return false;
            }
            default -> throw bad(key, text, "true or false");
        }
    }

    /** A size in MiB: {@code 4096}, {@code 512M}, {@code 4G}, {@code 1T}. */
    long mebibytes(String key, long defaultValue) {
        String text = values.get(key);
        if (text == null) {
            return defaultValue;
        }
        String value = text.trim().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
        long factor = 1;
        if (value.endsWith("G")) {
            factor = 1024;
        } else if (value.endsWith("T")) {
            factor = 1024 * 1024;
        }
        if (value.endsWith("M") || factor > 1) {
            value = value.substring(0, value.length() - 1);
        }
        try {
            long amount = Long.parseLong(value.trim());
            if (amount >= 0) {
                return amount * factor;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(key, text, "a size in MiB such as 4096, 512M or 4G");
    }

    List<String> list(String key, List<String> defaultValue) {
        String text = values.get(key);
        if (text == null) {
            return defaultValue;
        }
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        if (items.isEmpty()) {
            throw bad(key, text, "a comma-separated list of attribute names");
        }
        return items;
    }

    /** Capacities written {@code licence:3,gpu:1} (or {@code licence=3}). */
    Map<String, Integer> capacities(String key) {
        String text = values.get(key);
        Map<String, Integer> capacities = new LinkedHashMap<>();
        if (text == null) {
            return capacities;
        }
        for (String item : text.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            String[] parts = item.trim().split("[:=]", 2);
            try {
                int capacity = Integer.parseInt(parts[1].trim());
                if (parts[0].isBlank() || capacity < 0) {
                    throw new NumberFormatException();
                }
                capacities.put(parts[0].trim(), capacity);
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                throw bad(key, text, "capacities written name:count, e.g. licence:3,gpu:1");
            }
        }
        return capacities;
    }

    private IllegalArgumentException bad(String key, String value, String expected) {
        return new IllegalArgumentException("scheduler " + scheduler + ": option " + key + "='" + value + "' is not " + expected);
    }
}
