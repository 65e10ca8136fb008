package org.taylorism.server;

import java.util.Map;
import org.taylorism.Reconfiguration;

/**
 * The rules of a served run that clients may read and change while it goes on ({@code GET} and {@code PATCH
 * /api/v1/settings}). Called by the server under its own lock, one call at a time.
 */
public interface LiveSettings {

    /** The settings as they are now, as JSON-ready values keyed by their names. */
    Map<String, Object> current();

    /**
     * The change {@code changes} asks for, checked whole: on success the settings are the new ones and the
     * returned change is for the Boss; on failure nothing changed.
     *
     * @throws IllegalArgumentException naming the setting or the value that is bad
     */
    Reconfiguration change(Map<String, ?> changes);
}
