package org.taylorism.internal;

/** Spelling rules shared by footprints and reports. */
public final class Names {

    private Names() {
    }

    /**
     * The instruction key of a Java field: a capital letter that starts a new word (it follows a lower-case
     * letter or digit and is followed by a lower-case letter) becomes an underscore and that letter in lower
     * case. {@code sleepingTime -> sleeping_time}, {@code fileA -> fileA}, {@code maxLenReport -> max_len_report}.
     */
    public static String snakeCase(String javaName) {
        StringBuilder key = new StringBuilder(javaName.length() + 4);
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            boolean startsWord = Character.isUpperCase(c)
                    && i > 0 && (Character.isLowerCase(javaName.charAt(i - 1)) || Character.isDigit(javaName.charAt(i - 1)))
                    && i + 1 < javaName.length() && Character.isLowerCase(javaName.charAt(i + 1));
            if (startsWord) {
                key.append('_').append(Character.toLowerCase(c));
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    /** A form of a worker name that is safe as part of a file name. */
    public static String fileSafe(String name) {
        int length = Math.min(name.length(), 80);
        char[] safe = new char[length];
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            boolean kept = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
            safe[i] = kept ? c : '_';
        }
        return new String(safe);
    }

    /** A value as it appears in messages: strings quoted, long values cut. */
    public static String show(Object value) {
        String text = value instanceof String ? "'" + value + "'" : String.valueOf(value);
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }
}
