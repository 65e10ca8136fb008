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
        return new Bearer(randomToken());
    }

    /** A new token of 256 random bits. */
    static String randomToken() {
        byte[] bits = new byte[32];
        new SecureRandom().nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    String token() {
        return token;
    }

    /** Whether the request carries this token in its {@code Authorization} header. */
    boolean admits(HttpExchange exchange) {
        String presented = presented(exchange);
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** The token in the request's {@code Authorization} header, or null when it has none. */
    static String presented(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        return header.substring(PREFIX.length()).strip();
    }

    /**
     * The token's digest, as a key to look tokens up by: a lookup's timing can then only tell how much of a
     * guess's digest matched, which says nothing of the token.
     */
    static String digestOf(String token) {
        return Base64.getEncoder().encodeToString(sha256(token));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
