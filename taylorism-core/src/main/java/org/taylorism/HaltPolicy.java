package org.taylorism;

import java.util.Locale;

/**
 * When failures stop a run, as GNU parallel's {@code --halt}: after {@code failures} failed workers, or when
 * failed workers reach {@code percent} % of the sets submitted, either {@code NOW} (running workers are
 * killed) or {@code SOON} (nothing more is launched, running workers finish). The run is then reported as
 * {@code failed}. A failure is a worker that ended {@code failed}, {@code crashed}, {@code timed_out} or
 * {@code memory_exceeded} after its last attempt.
 *
 * @param when NEVER, SOON or NOW
 * @param failures the number of failures that halts (0 when a percentage is used)
 * @param percent the percentage of failures that halts (0 when a number is used)
 */
public record HaltPolicy(When when, int failures, double percent) {

    /** What a halt does. */
    public enum When {
        /** Never halt: run everything. */
        NEVER,
        /** Launch nothing more; let running workers finish. */
        SOON,
        /** Kill running workers now. */
        NOW
    }

    /** The original's behaviour: the first failure kills everything. */
    public static final HaltPolicy FAIL_FAST = new HaltPolicy(When.NOW, 1, 0);

    /** Run everything whatever fails. */
    public static final HaltPolicy KEEP_GOING = new HaltPolicy(When.NEVER, 0, 0);

    public HaltPolicy {
        if (when != When.NEVER && (failures < 0 || percent < 0 || percent > 100 || (failures == 0) == (percent == 0))) {
            throw new IllegalArgumentException("a halt needs either a number of failures (1 or more) or a percentage in (0, 100]:"
                    + " failures=" + failures + ", percent=" + percent);
        }
    }

    public static HaltPolicy of(FailurePolicy policy) {
        return policy == FailurePolicy.FAIL_FAST ? FAIL_FAST : KEEP_GOING;
    }

    /**
     * Reads {@code never}, {@code fail-fast}, {@code keep-going}, {@code now,fail=1}, {@code soon,fail=3},
     * {@code soon,fail=10%}.
     *
     * @throws IllegalArgumentException naming the text when it is none of these
     */
    public static HaltPolicy parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "never", "keep-going", "keep_going" -> {
                return KEEP_GOING;
            }
            case "fail-fast", "fail_fast" -> {
                return FAIL_FAST;
            }
            default -> {
                // when,fail=N or when,fail=N%
            }
        }
        String[] parts = value.split(",");
        try {
            if (parts.length == 2 && parts[1].startsWith("fail=")) {
                When when = When.valueOf(parts[0].trim().toUpperCase(Locale.ROOT));
                String amount = parts[1].substring("fail=".length()).trim();
                if (when != When.NEVER) {
                    return amount.endsWith("%")
                            ? new HaltPolicy(when, 0, Double.parseDouble(amount.substring(0, amount.length() - 1)))
                            : new HaltPolicy(when, Integer.parseInt(amount), 0);
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below, with the forms that work
        }
        throw new IllegalArgumentException("'" + text + "' is not a halt policy: use never, fail-fast, now,fail=N, soon,fail=N"
                + " or soon,fail=N%");
    }

    /** Whether {@code failed} failures out of {@code submitted} sets halt the run. */
    public boolean halts(int failed, int submitted) {
        if (when == When.NEVER || failed == 0) {
            return false;
        }
        return failures > 0 ? failed >= failures : failed * 100.0 >= percent * Math.max(1, submitted);
    }

    @Override
    public String toString() {
        return when == When.NEVER ? "never" : when.name().toLowerCase(Locale.ROOT) + ",fail=" + (failures > 0 ? failures : percent + "%");
    }
}
