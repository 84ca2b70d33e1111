package io.aether.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP server on a free local port that plays a node: canned answers, every request recorded. */
final class FakeNode implements AutoCloseable {

    /** One request as the node saw it. */
    record Request(String method, String pathAndQuery, String contentType, String authorization, String body) {
    }

    private record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeNode() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code METHOD path} (the raw path, without the query) with JSON. */
    FakeNode json(String method, String path, int status, String body) {
        answers.put(method + " " + path, new Answer(status, "application/json", body));
        return this;
    }

    FakeNode problem(String method, String path, int status, String body) {
        answers.put(method + " " + path, new Answer(status, "application/problem+json", body));
        return this;
    }

    /** Answers with a finished text/event-stream body. */
    FakeNode events(String path, String stream) {
        answers.put("GET " + path, new Answer(200, "text/event-stream", stream));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    Request onlyRequest() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests);
        }
        return requests.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String rawPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            requests.add(new Request(exchange.getRequestMethod(), rawQuery == null ? rawPath : rawPath + "?" + rawQuery,
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + rawPath,
                    new Answer(404, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\"Not Found\","
                            + "\"status\":404,\"detail\":\"no fake answer for " + rawPath + "\"}"));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
