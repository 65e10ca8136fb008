package org.taylorism.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.taylorism.Boss;
import org.taylorism.HaltPolicy;
import org.taylorism.RetryPolicy;
import org.taylorism.Scheduler;
import org.taylorism.client.ServerAddress;
import org.taylorism.client.TaylorismClient;

/** A Boss of at most a few workers at once, told to work, served by a server of this JVM, and a client of it. */
final class Served implements AutoCloseable {

    final Boss boss;
    final TaylorismServer server;
    final TaylorismClient client;

    private Served(Boss boss, TaylorismServer server, TaylorismClient client) {
        this.boss = boss;
        this.server = server;
        this.client = client;
    }

    /** A server called {@code name} (with this JVM's pid) of a Boss of {@code threads} slots, its files in {@code runDirectory}. */
    static Served start(String name, int threads, Path runDirectory) throws IOException {
        String unique = name + "-" + ProcessHandle.current().pid();
        TaylorismServer server = TaylorismServer.create(ServerOptions.local(unique));
        Boss boss = Boss.builder().scheduler(Scheduler.maxThreads(threads)).haltPolicy(HaltPolicy.KEEP_GOING)
                .runDirectory(runDirectory).listener(server.listener()).build();
        try {
            boss.makeThemWork();
            server.start(boss, new SchedulerSettings("max-threads", Map.of("threads", String.valueOf(threads)),
                    Served.class.getClassLoader(), HaltPolicy.KEEP_GOING, RetryPolicy.NONE));
            return new Served(boss, server, TaylorismClient.connect(ServerAddress.local(unique)));
        } catch (IOException | RuntimeException e) {
            server.close();
            boss.close();
            throw e;
        }
    }

    @Override
    public void close() {
        server.close();
        boss.close();
    }
}
