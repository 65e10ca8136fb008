package org.taylorism.internal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.taylorism.WorkerRegistry;
import org.taylorism.internal.Json;
import org.taylorism.internal.ValueConverter;

/**
 * What an instruction set is, in 16 hex digits: its worker type and its resolved instructions (attribute values
 * after conversion and defaults, and the keys no attribute reads, as given), keys in order. A name generated
 * by the Boss is left out: it is not the user's. The same set submitted again has the same digest.
 */
final class SetDigest {

    private SetDigest() {
    }

    static String of(WorkerRegistry.Match match, Map<String, Object> instructions) {
        Map<String, Object> resolved = new TreeMap<>();
        match.values().forEach((key, value) -> resolved.put(key, ValueConverter.toJsonValue(value)));
        for (String key : match.unknownKeys()) {
            resolved.put(key, instructions.get(key));
        }
        if (!instructions.containsKey("name")) {
            resolved.remove("name");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(match.type().name().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(Json.writePlain(resolved));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        } catch (IOException e) {
            throw new UncheckedIOException("an instruction set that cannot be written as JSON", e);
        }
    }
}
