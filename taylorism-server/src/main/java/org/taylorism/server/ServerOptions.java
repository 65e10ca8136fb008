package org.taylorism.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import org.taylorism.client.ServerAddress;

/**
 * How a server listens.
 *
 * @param name the server's name: local clients find it by that name ({@link ServerAddress#local})
 * @param listen the address and port to listen on (port 0: any free one); an address other than the loopback
 *     one needs {@code tlsKeystore}
 * @param tlsKeystore a PKCS#12 or JKS key store holding the server's key and certificate, or null for plain HTTP
 *     (loopback only)
 * @param tlsPassword the key store's password (and its key's), or null
 * @param maxBodyBytes the largest request body taken
 * @param maxEventStreams how many event streams may be open at once
 * @param threads the threads that serve requests
 */
public record ServerOptions(String name, InetSocketAddress listen, Path tlsKeystore, char[] tlsPassword, long maxBodyBytes,
                            int maxEventStreams, int threads) {

    /** The threads that event streams can never take: they answer every other request. */
    static final int THREADS_KEPT_FROM_STREAMS = 2;

    /** 64 MiB: a batch of some hundred thousand sets. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;

    public ServerOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listen, "listen");
        ServerAddress.file(name); // checks the name
        // An open event stream holds its thread until its run ends: as many streams as threads would leave none to answer
        // anyone else, and the stream one too many would wait for a thread rather than be refused.
        if (maxBodyBytes < 1 || maxEventStreams < 0 || threads < maxEventStreams + THREADS_KEPT_FROM_STREAMS) {
            throw new IllegalArgumentException("maxBodyBytes must be 1 or more (not " + maxBodyBytes + "), maxEventStreams 0 or"
                    + " more (not " + maxEventStreams + "), and threads at least maxEventStreams + " + THREADS_KEPT_FROM_STREAMS
                    + " (not " + threads + "): each open event stream holds a thread");
        }
        if (!listen.getAddress().isLoopbackAddress() && tlsKeystore == null) {
            throw new IllegalArgumentException("listening on " + listen.getAddress().getHostAddress() + " (not this machine's"
                    + " loopback address) needs TLS: give the server a key store");
        }
    }

    /** The server called {@code name} on 127.0.0.1, on any free port, plain HTTP. */
    public static ServerOptions local(String name) {
        return new ServerOptions(name, new InetSocketAddress("127.0.0.1", 0), null, null, DEFAULT_MAX_BODY_BYTES, 16, 24);
    }

    public ServerOptions listeningOn(InetSocketAddress address) {
        return new ServerOptions(name, address, tlsKeystore, tlsPassword, maxBodyBytes, maxEventStreams, threads);
    }

    public ServerOptions withTls(Path keystore, char[] password) {
        return new ServerOptions(name, listen, keystore, password, maxBodyBytes, maxEventStreams, threads);
    }

    /** Says where, never the password. */
    @Override
    public String toString() {
        return "ServerOptions[name=" + name + ", listen=" + listen + ", tls=" + (tlsKeystore != null) + "]";
    }
}
