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
import org.taylorism.internal.JsonBytes;
import org.taylorism.internal.ValueConverter;

/**
 * What an instruction set is, in 16 hex digits: its worker type and its resolved instructions (attribute values
 * after conversion and defaults, and the keys no attribute reads, as given), keys in order. A name generated
 * by the Boss is left out: it is not the user's. The same set submitted again has the same digest, from one
 * taylorism to the next: it is the set's key in a run store, by which a resumed run finds it.
 *
 * <p>One is made per batch, on the thread that submits it: the SHA-256 instance and the JSON generator it keeps
 * cost more to make than a small set costs to digest.
 */
final class SetDigest {

    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest sha;
    private final JsonBytes json = new JsonBytes();

    SetDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    String of(WorkerRegistry.Match match, Map<String, Object> instructions) {
        Map<String, Object> resolved = new TreeMap<>();
        match.values().forEach((key, value) -> resolved.put(key, ValueConverter.toJsonValue(value)));
        for (String key : match.unknownKeys()) {
            resolved.put(key, instructions.get(key));
        }
        if (!instructions.containsKey("name")) {
            resolved.remove("name");
        }
        sha.reset(); // a set that failed to be written may have left some of itself
        sha.update(match.type().name().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        try {
            json.update(sha, resolved);
        } catch (IOException e) {
            throw new UncheckedIOException("an instruction set that cannot be written as JSON", e);
        }
        return HEX.formatHex(sha.digest(), 0, 8);
    }
}
