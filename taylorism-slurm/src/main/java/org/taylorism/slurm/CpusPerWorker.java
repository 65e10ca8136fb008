package org.taylorism.slurm;

import java.util.Map;

/** How many CPUs a worker asks Slurm for: the value of one instruction key, 1 when absent. */
record CpusPerWorker(String attribute) {

    /** @throws IllegalArgumentException naming the key and the value when it is not a whole number of 1 or more */
    int of(Map<String, Object> instructions) {
        Object value = instructions == null ? null : instructions.get(attribute);
        if (value == null) {
            return 1;
        }
        try {
            double number = value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().strip());
            if (number >= 1 && number == Math.rint(number) && number <= 4096) {
                return (int) number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException("its '" + attribute + "' is " + (value instanceof String ? "'" + value + "'" : value)
                + ", not a whole number of CPUs from 1 to 4096");
    }
}
