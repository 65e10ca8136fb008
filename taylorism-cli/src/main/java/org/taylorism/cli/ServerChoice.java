package org.taylorism.cli;

import java.net.URI;
import java.nio.file.Path;
import org.taylorism.client.ServerAddress;
import org.taylorism.client.TaylorismClient;
import picocli.CommandLine.Option;

/** Which server a client command talks to: a local one by name, or one given by URL and token file. */
final class ServerChoice {

    @Option(names = "--name", paramLabel = "NAME", defaultValue = ServerAddress.DEFAULT_NAME,
            description = "The local server of this name (default: ${DEFAULT-VALUE}); its address and token are found in"
                    + " $XDG_RUNTIME_DIR/taylorism/servers/NAME.json.")
    String name;

    @Option(names = "--server", paramLabel = "URL", description = "The server at URL instead, such as https://host:4180.")
    URI url;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "With --server: the file holding its token (the token alone, or a server's address file).")
    Path tokenFile;

    @Option(names = "--tls-certificate", paramLabel = "FILE",
            description = "With an https --server: trust the certificate in FILE (PEM or DER; the server's own, or its authority's).")
    Path certificate;

    TaylorismClient client() {
        if (url != null) {
            if (tokenFile == null) {
                throw new BadInputException("--server " + url + " needs --token-file FILE (a token is never given on the command line)");
            }
            ServerAddress address = ServerAddress.of(url, tokenFile);
            return certificate == null ? TaylorismClient.connect(address) : TaylorismClient.connect(address, certificate);
        }
        if (certificate != null) {
            throw new BadInputException("--tls-certificate goes with --server URL");
        }
        if (tokenFile != null) {
            throw new BadInputException("--token-file goes with --server URL");
        }
        try {
            return TaylorismClient.connect(ServerAddress.local(name));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--name: " + e.getMessage(), e);
        }
    }
}
