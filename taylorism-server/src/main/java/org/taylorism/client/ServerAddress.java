package org.taylorism.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.taylorism.internal.Json;
import org.taylorism.internal.UserDirectories;

/**
 * Where a taylorism server listens and the token it wants. A server writes its address to a file only its user
 * can read, {@code $XDG_RUNTIME_DIR/taylorism/servers/NAME.json} (else below the state directory), for local
 * clients to find; a client elsewhere is given the URL and a file holding the token.
 *
 * @param url the server's base URL, such as {@code http://127.0.0.1:4180}
 * @param token the bearer token every request carries
 * @param pid the server's process id, or 0 when unknown (a server found by URL)
 */
public record ServerAddress(URI url, String token, long pid) {

    /** The name of a server that is given none. */
    public static final String DEFAULT_NAME = "default";

    public ServerAddress {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
    }

    /** The directory of the address files of local servers. */
    public static Path directory() {
        return UserDirectories.runtime("servers");
    }

    /** The address file of the local server called {@code name}. */
    public static Path file(String name) {
        if (!name.matches("[A-Za-z0-9._-]{1,64}") || name.startsWith(".")) {
            throw new IllegalArgumentException("'" + name + "' is not a server name (letters, digits, '.', '_' and '-', at most 64)");
        }
        return directory().resolve(name + ".json");
    }

    /**
     * The local server called {@code name}, from its address file.
     *
     * @throws ServerException when no server of that name runs here (no file, or its process is gone), or the
     *     file cannot be read
     */
    public static ServerAddress local(String name) {
        Path file = file(name);
        ServerAddress address;
        try {
            JsonNode json = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            address = new ServerAddress(URI.create(json.path("url").asText()), json.path("token").asText(), json.path("pid").asLong());
        } catch (NoSuchFileException e) {
            throw new ServerException(0, "no taylorism server '" + name + "' runs here (no " + file
                    + "; start one with 'taylorism serve', or give --server URL --token-file FILE)");
        } catch (IOException | IllegalArgumentException e) {
            throw new ServerException(0, "cannot read the address of server '" + name + "' from " + file + ": " + e.getMessage());
        }
        if (address.pid() > 0 && !ProcessHandle.of(address.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new ServerException(0, "no taylorism server '" + name + "' runs here: " + file + " names process "
                    + address.pid() + ", which is gone");
        }
        return address;
    }

    /**
     * The server at {@code url}, whose token is in {@code tokenFile}: the token alone, or a server's address file.
     *
     * @throws ServerException when the file cannot be read or holds no token
     */
    public static ServerAddress of(URI url, Path tokenFile) {
        String text;
        try {
            text = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ServerException(0, "cannot read the token file " + tokenFile + ": " + e);
        }
        String token = text;
        if (text.startsWith("{")) {
            try {
                token = Json.MAPPER.readTree(text).path("token").asText();
            } catch (IOException e) {
                throw new ServerException(0, "the token file " + tokenFile + " is neither a token nor a server's address file: " + e.getMessage());
            }
        }
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new ServerException(0, "the token file " + tokenFile + " holds no token");
        }
        return new ServerAddress(url, token, 0);
    }

    /** Writes this address to {@code file}, readable by its owner only, replacing what was there in one step. */
    public void writeTo(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path temporary = Files.createTempFile(directory, ".address-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("url", url.toString());
            json.put("token", token);
            json.put("pid", pid);
            Files.writeString(temporary, Json.MAPPER.writeValueAsString(json), StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The URL only: a token is never shown. */
    @Override
    public String toString() {
        return url.toString();
    }
}
