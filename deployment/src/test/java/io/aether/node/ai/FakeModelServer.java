package io.aether.node.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * A model server for tests that speaks the real wire protocols, so the production LangChain4j clients are what
 * talk to it: Ollama's {@code POST /api/chat} (non-streaming) and OpenAI's {@code POST /v1/chat/completions}. Each
 * request takes the next scripted {@link Reply} (the last one repeats); every request body is kept for assertions.
 */
final class FakeModelServer implements AutoCloseable {

    enum Protocol { OLLAMA, OPENAI }

    /** One scripted answer: content (HTTP 200) after a delay, an HTTP error, or a body cut off mid-way. */
    record Reply(int status, String content, Duration delay, boolean truncated) {

        static Reply content(String content) {
            return new Reply(200, content, Duration.ZERO, false);
        }

        static Reply status(int status) {
            return new Reply(status, "{\"error\":\"scripted " + status + "\"}", Duration.ZERO, false);
        }

        static Reply slow(String content, Duration delay) {
            return new Reply(200, content, delay, false);
        }

        static Reply truncated(String content) {
            return new Reply(200, content, Duration.ZERO, true);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Protocol protocol;
    private final Vertx vertx = Vertx.vertx();
    private final ConcurrentLinkedDeque<Reply> script = new ConcurrentLinkedDeque<>();
    private final List<JsonNode> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile Reply last = Reply.status(503);
    private final HttpServer server;

    private FakeModelServer(Protocol protocol) throws Exception {
        this.protocol = protocol;
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static FakeModelServer start(Protocol protocol) throws Exception {
        return new FakeModelServer(protocol);
    }

    int port() {
        return server.actualPort();
    }

    /** Replaces the script; the last reply repeats once the others are used up. */
    void script(Reply... replies) {
        script.clear();
        script.addAll(List.of(replies));
        last = replies[replies.length - 1];
    }

    List<JsonNode> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpServerRequest request) {
        String expected = protocol == Protocol.OLLAMA ? "/api/chat" : "/v1/chat/completions";
        if (!request.path().equals(expected)) {
            request.response().setStatusCode(404).end("{\"error\":\"no route " + request.path() + "\"}");
            return;
        }
        request.body().onSuccess(body -> {
            JsonNode parsed;
            try {
                parsed = JSON.readTree(body.getBytes());
            } catch (IOException e) {
                request.response().setStatusCode(400).end("{\"error\":\"bad request json\"}");
                return;
            }
            requests.add(parsed);
            Reply next = script.pollFirst();
            Reply reply = next != null ? next : last;
            long delay = reply.delay().toMillis();
            if (delay > 0) {
                vertx.setTimer(delay, t -> answer(request, parsed, reply));
            } else {
                answer(request, parsed, reply);
            }
        });
    }

    private void answer(HttpServerRequest request, JsonNode parsed, Reply reply) {
        if (reply.status() != 200) {
            request.response().setStatusCode(reply.status()).putHeader("content-type", "application/json")
                    .putHeader("retry-after", "1").end(reply.content());
            return;
        }
        String body = protocol == Protocol.OLLAMA ? ollama(parsed, reply.content()) : openAi(parsed, reply.content());
        if (reply.truncated()) {
            String half = body.substring(0, body.length() / 2);
            request.response().putHeader("content-type", "application/json")
                    .putHeader("content-length", Integer.toString(body.length())).write(half)
                    .onComplete(done -> request.connection().close());
            return;
        }
        request.response().putHeader("content-type", "application/json").end(body);
    }

    private static String ollama(JsonNode request, String content) {
        ObjectNode n = JSON.createObjectNode();
        n.put("model", request.path("model").asText());
        n.put("created_at", "2026-12-02T00:00:00Z");
        ObjectNode message = n.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        n.put("done", true);
        n.put("prompt_eval_count", 321);
        n.put("eval_count", 45);
        return n.toString();
    }

    private static String openAi(JsonNode request, String content) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", "chatcmpl-fake");
        n.put("object", "chat.completion");
        n.put("created", 1_800_000_000L);
        n.put("model", request.path("model").asText());
        ObjectNode choice = n.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        choice.put("finish_reason", "stop");
        ObjectNode usage = n.putObject("usage");
        usage.put("prompt_tokens", 654);
        usage.put("completion_tokens", 78);
        usage.put("total_tokens", 732);
        return n.toString();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
