package org.taylorism.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.taylorism.Attribute;
import org.taylorism.Footprint;
import org.taylorism.Priority;
import org.taylorism.Worker;

/**
 * A worker with a rich footprint: checksums one file.
 *
 * <ul>
 *   <li>{@code file}: mandatory, a Path; also accepted as {@code path};</li>
 *   <li>{@code algorithm}: one of SHA-256, SHA-1, MD5 (default SHA-256); {@code sha256}, {@code sha1} and
 *       {@code md5} are remapped to those names; also accepted as {@code algo};</li>
 *   <li>{@code buffer_kib}: optional int, never 0.</li>
 * </ul>
 * Priority TOOLBOX: given a {@code file}, it wins over any DEFAULT-priority worker that also fits.
 */
@Footprint(name = "checksum", priority = Priority.TOOLBOX, info = "Computes the checksum of one file.")
public class Checksum extends Worker {

    @Attribute(aliases = "path", info = "The file to checksum.")
    private Path file;

    @Attribute(aliases = "algo", values = {"SHA-256", "SHA-1", "MD5"}, remap = {"sha256=SHA-256", "sha1=SHA-1", "md5=MD5"},
            defaultValue = "SHA-256", info = "The digest algorithm.")
    private String algorithm;

    @Attribute(defaultValue = "64", outcast = "0", info = "Read buffer size in KiB.")
    private int bufferKib;

    /** What a checksum worker returns. */
    public record Digest(String file, String algorithm, String digest, long bytes) {
    }

    @Override
    protected Object task() throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance(algorithm);
        long bytes = 0;
        byte[] buffer = new byte[bufferKib * 1024];
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                bytes += read;
            }
        }
        return new Digest(file.toString(), algorithm, HexFormat.of().formatHex(digest.digest()), bytes);
    }
}
