package org.taylorism.server;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server's bearer token: made at start from 256 random bits, and checked on every request. The check compares
 * digests of the same length in constant time, so the answer's timing says nothing of how much of a guess was
 * right.
 */
final class Bearer {

    private static final String PREFIX = "Bearer ";

    private final String token;
    private final byte[] digest;

    private Bearer(String token) {
        this.token = token;
        this.digest = sha256(token);
    }

    static Bearer random() {
        byte[] bits = new byte[32];
        new SecureRandom().nextBytes(bits);
        return new Bearer(Base64.getUrlEncoder().withoutPadding().encodeToString(bits));
    }

    String token() {
        return token;
    }

    /** Whether the request carries this token in its {@code Authorization} header. */
    boolean admits(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(header.substring(PREFIX.length()).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
