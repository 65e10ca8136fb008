package org.taylorism.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.taylorism.Boss;
import org.taylorism.Task;

/**
 * The calls a running worker makes with its own token, below {@code /api/v1/subtasks}: submit a batch of sub-tasks,
 * and read (or wait for) the report of a sub-batch it submitted. Nothing else: a worker's token opens no other
 * call, and the server's token does not open these. While a worker waits for a sub-batch, its slot is lent to
 * the batch's sub-tasks ({@link Boss#lendSlot}).
 */
final class SubTaskDesk implements HttpHandler {

    static final String PATH = Api.BASE + "subtasks";

    private final WorkerTokens tokens;
    private final Api api;
    private final Boss boss;
    private final BatchBook batches;
    private final long maxBodyBytes;

    SubTaskDesk(WorkerTokens tokens, Api api, Boss boss, BatchBook batches, long maxBodyBytes) {
        this.tokens = tokens;
        this.api = api;
        this.boss = boss;
        this.batches = batches;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(HttpExchange http) {
        WorkerTokens.Grant grant = tokens.admit(http);
        Exchange.serve(http, maxBodyBytes, grant != null, "worker token", exchange -> route(exchange, grant));
    }

    private boolean route(Exchange exchange, WorkerTokens.Grant grant) throws IOException {
        String rest = exchange.http().getRequestURI().getPath().substring(PATH.length()).replaceAll("/+$", "");
        if (rest.isEmpty()) {
            allow(exchange, "POST");
            submit(exchange, grant);
            return true;
        }
        if (!rest.startsWith("/") || rest.indexOf('/', 1) >= 0) {
            throw new Exchange.Refusal(404, "no call " + exchange.method() + " " + exchange.http().getRequestURI().getPath());
        }
        allow(exchange, "GET");
        return report(exchange, grant, rest.substring(1));
    }

    private static void allow(Exchange exchange, String method) {
        if (!exchange.method().equals(method)) {
            exchange.http().getResponseHeaders().set("Allow", method);
            throw new Exchange.Refusal(405, "this call takes " + method + ", not " + exchange.method());
        }
    }

    /** {@code POST subtasks}: the body is a batch in any of the forms {@code POST batches} takes. */
    private void submit(Exchange exchange, WorkerTokens.Grant grant) throws IOException {
        Api.Accepted accepted = api.accept(Api.sets(exchange.jsonBody()), grant.parent());
        grant.batches().put(accepted.batch().id(), accepted.tasks());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("batch", accepted.batch().id());
        answer.put("sets", accepted.batch().names());
        exchange.http().getResponseHeaders().set("Location", PATH + "/" + accepted.batch().id());
        exchange.send(201, answer);
    }

    /** {@code GET subtasks/ID[?wait=SECONDS]}: while it waits, the worker lends its slot to the batch's sub-tasks. */
    private boolean report(Exchange exchange, WorkerTokens.Grant grant, String id) throws IOException {
        List<Task> tasks = grant.tasksOf(id);
        if (tasks == null) {
            throw new Exchange.Refusal(404, "this worker submitted no batch '" + id + "'");
        }
        // Its names, which the book may have forgotten since it ended: the worker reads its sub-tasks' results.
        BatchBook.Batch batch = batches.batch(id).map(booked -> booked.withNames(tasks.stream().map(Task::name).toList()))
                .orElseThrow(() -> Api.goneOrMissing(batches, id));
        Duration wait = Api.waitOf(exchange.query().get("wait"));
        // The slot is lent while the worker waits for the batch's sub-tasks to end. A wait that ends first (its time
        // is up) takes it back: the worker may go on working in its own slot, not in one a sub-task now holds too.
        CompletableFuture<Void> loan = !wait.isZero() && !batch.done().isDone() && grant.lentFor().add(id)
                ? boss.lendSlot(grant.parent(), tasks) : null;
        return api.sendReport(exchange, batch, wait, () -> {
            if (loan != null && !batch.done().isDone()) {
                grant.lentFor().remove(id);
                loan.cancel(false);
            }
        });
    }
}
