package org.taylorism;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a running worker reaches the Boss that runs it, to submit sub-tasks and wait for them: the address of the
 * Boss's server, a token of the worker's own (good while this attempt runs, and for its own sub-tasks only), and
 * the server's certificate when it speaks TLS. A Boss served by {@code taylorism serve} gives one to each Java
 * worker in its task file (never on a command line); {@code org.taylorism.client.SubTasks} uses it.
 *
 * @param address the server's base address, such as {@code http://127.0.0.1:41234}
 * @param token the worker's bearer token
 * @param certificate the server's certificate in PEM form when it speaks TLS, else null
 */
public record BossContact(String address, String token, String certificate) {

    public BossContact {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(token, "token");
    }

    /** The contact as the task file holds it. */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("address", address);
        map.put("token", token);
        if (certificate != null) {
            map.put("certificate", certificate);
        }
        return map;
    }

    /**
     * The contact a task file holds, or null for none.
     *
     * @throws IllegalArgumentException when it lacks its address or token
     */
    public static BossContact fromMap(Map<?, ?> map) {
        if (map == null) {
            return null;
        }
        if (!(map.get("address") instanceof String address) || !(map.get("token") instanceof String token)) {
            throw new IllegalArgumentException("a Boss contact needs a string \"address\" and \"token\"");
        }
        return new BossContact(address, token, map.get("certificate") instanceof String pem ? pem : null);
    }

    /** Never shows the token: contacts end up in logs. */
    @Override
    public String toString() {
        return "BossContact[" + address + (certificate != null ? ", TLS" : "") + "]";
    }
}
