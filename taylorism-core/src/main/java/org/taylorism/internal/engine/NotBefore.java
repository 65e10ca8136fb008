package org.taylorism.internal.engine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.taylorism.internal.Names;

/** The {@code not_before} attribute: a delay in seconds after submission, or an ISO time. */
final class NotBefore {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY_AND_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private NotBefore() {
    }

    /**
     * @throws IllegalArgumentException naming the value when it is neither a number of seconds nor an ISO
     *     time ({@code 12:00:05}, {@code 2026-11-23T12:00:05}, {@code 2026-11-23T12:00:05Z})
     */
    static Instant parse(String text, Instant submittedAt, ZoneId zone) {
        String value = text.trim();
        try {
            double seconds = Double.parseDouble(value);
            if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("not_before: " + Names.show(text) + " must be a delay of 0 seconds or more");
            }
            return submittedAt.plusMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException notANumber) {
            // an ISO time, then
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // no offset
        }
        try {
            return LocalDateTime.parse(value).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // no date
        }
        try {
            return LocalTime.parse(value).atDate(LocalDate.ofInstant(submittedAt, zone)).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not_before: " + Names.show(text) + " is neither a number of seconds nor an ISO"
                    + " time (12:00:05, 2026-11-23T12:00:05, 2026-11-23T12:00:05Z)");
        }
    }

    /** "not before 12:00:05" (with the date when it is not today). */
    static String describe(Instant notBefore, Instant now, ZoneId zone) {
        boolean today = LocalDate.ofInstant(notBefore, zone).equals(LocalDate.ofInstant(now, zone));
        return "not before " + (today ? CLOCK : DAY_AND_CLOCK).format(notBefore.atZone(zone));
    }
}
