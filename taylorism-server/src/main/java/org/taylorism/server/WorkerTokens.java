package org.taylorism.server;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.taylorism.BossContact;
import org.taylorism.Task;
import org.taylorism.spi.SubTaskChannel;

/**
 * The tokens of running Java workers, one per attempt: made when the attempt launches (on the Boss thread), good
 * for its own sub-tasks only ({@link SubTaskDesk}), void when it ends. Kept by digest, never by the token itself.
 * Before the server listens, workers get no contact.
 */
final class WorkerTokens implements SubTaskChannel {

    /**
     * What one attempt's token admits: sub-tasks of {@code parent}, and the batches of them it submitted.
     *
     * @param batches the ids of its sub-batches, each with its sub-tasks
     * @param lentFor the ids of the sub-batches it lent its slot to: once is enough, however often it asks
     */
    record Grant(Task parent, Map<String, List<Task>> batches, Set<String> lentFor) {
        /** Its own sub-batch {@code id}'s tasks, or null when it submitted no batch of that id. */
        List<Task> tasksOf(String id) {
            return batches.get(id);
        }
    }

    private final Map<String, Grant> byDigest = new ConcurrentHashMap<>();
    private final Map<Long, String> digestOfTask = new ConcurrentHashMap<>();
    private volatile URI address;
    private volatile String certificate;

    /** Workers launched from now on reach the server at {@code address}, trusting {@code certificate} (PEM, or null). */
    void serveAt(URI address, String certificate) {
        this.certificate = certificate;
        this.address = address;
    }

    @Override
    public BossContact open(Task task) {
        URI served = address;
        if (served == null) {
            return null;
        }
        String token = Bearer.randomToken();
        String digest = Bearer.digestOf(token);
        byDigest.put(digest, new Grant(task, new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet()));
        String earlier = digestOfTask.put(task.id(), digest);
        if (earlier != null) {
            byDigest.remove(earlier);
        }
        return new BossContact(served.toString(), token, certificate);
    }

    @Override
    public void close(Task task) {
        String digest = digestOfTask.remove(task.id());
        if (digest != null) {
            byDigest.remove(digest);
        }
    }

    /** What the request's token admits, or null when it carries no worker's token that is good now. */
    Grant admit(HttpExchange exchange) {
        String presented = Bearer.presented(exchange);
        return presented == null ? null : byDigest.get(Bearer.digestOf(presented));
    }
}
