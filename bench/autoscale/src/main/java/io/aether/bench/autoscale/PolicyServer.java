package io.aether.bench.autoscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on loopback that answers chat requests with a {@link ScriptedPolicy} instead of a model, in
 * the two protocols the AI layers' production clients speak: Ollama's {@code POST /api/chat} (non-streaming) and
 * OpenAI's {@code POST /v1/chat/completions}. The policy reads the summary JSON in the last user message. The
 * model name picks the horizon: {@value #L2_MODEL} the short one, {@value #L3_MODEL} the seasonal one; another
 * name is answered 404 as Ollama does for a model it does not have.
 *
 * <p>Token counts are approximate: characters ÷ 4 (the messages' for the prompt, the answer's for the completion).
 * Requests above {@value #MAX_BODY_BYTES} bytes are refused (413); at most {@value #THREADS} requests are served at
 * once and {@value #QUEUE} wait (the executor's bound; it rejects more).
 */
public final class PolicyServer implements AutoCloseable {

    public static final String L2_MODEL = "scripted-l2";
    public static final String L3_MODEL = "scripted-l3";
    static final int MAX_BODY_BYTES = 1 << 20;
    static final int THREADS = 2;
    static final int QUEUE = 32;

    private static final System.Logger LOG = System.getLogger(PolicyServer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScriptedPolicy policy;
    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();

    private PolicyServer(ScriptedPolicy policy, HttpServer server, ThreadPoolExecutor executor) {
        this.policy = policy;
        this.server = server;
        this.executor = executor;
    }

    /** Starts a server on an ephemeral loopback port. */
    public static PolicyServer start(double targetUtilisation, int leadSeconds) throws IOException {
        ScriptedPolicy policy = new ScriptedPolicy(targetUtilisation, leadSeconds);
        // The JDK server writes the headers and the body separately; without TCP_NODELAY each answer waits for the
        // client's delayed ACK (~40 ms). The property is read once, when the first server is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), QUEUE);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "policy-server");
                    t.setDaemon(true);
                    return t;
                });
        PolicyServer server = new PolicyServer(policy, http, executor);
        http.createContext("/api/chat", e -> server.handle(e, Protocol.OLLAMA));
        http.createContext("/v1/chat/completions", e -> server.handle(e, Protocol.OPENAI));
        http.setExecutor(executor);
        http.start();
        return server;
    }

    /** {@code http://127.0.0.1:PORT}: the base URL of the Ollama client. */
    public String ollamaBaseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT/v1}: the base URL of the OpenAI client. */
    public String openAiBaseUrl() {
        return ollamaBaseUrl() + "/v1";
    }

    /** Chat requests answered with a policy answer (status 200). */
    public long answered() {
        return answered.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private enum Protocol { OLLAMA, OPENAI }

    private void handle(HttpExchange exchange, Protocol protocol) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, error(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                        + ": only POST is served"));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                send(exchange, 413, error("request body above " + MAX_BODY_BYTES + " bytes"));
                return;
            }
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                send(exchange, 400, error("request body is not JSON: " + e.getOriginalMessage()));
                return;
            }
            String model = request == null ? "" : request.path("model").asText();
            if (!model.equals(L2_MODEL) && !model.equals(L3_MODEL)) {
                send(exchange, 404, error("model \"" + model + "\" not found, this server has " + L2_MODEL + " and "
                        + L3_MODEL));
                return;
            }
            JsonNode messages = request.path("messages");
            String lastUser = null;
            long promptChars = 0;
            for (JsonNode m : messages) {
                String content = content(m.path("content"));
                promptChars += content.length();
                if ("user".equals(m.path("role").asText())) {
                    lastUser = content;
                }
            }
            int brace = lastUser == null ? -1 : lastUser.indexOf('{');
            if (brace < 0) {
                send(exchange, 400, error("messages: no user message with a summary JSON object"));
                return;
            }
            String answer;
            try {
                answer = policy.answer(lastUser.substring(brace), model.equals(L3_MODEL));
            } catch (IllegalArgumentException e) {
                send(exchange, 400, error("messages: last user message: " + e.getMessage()));
                return;
            }
            int promptTokens = (int) ((promptChars + 3) / 4);
            int completionTokens = (answer.length() + 3) / 4;
            answered.incrementAndGet();
            send(exchange, 200, protocol == Protocol.OLLAMA ? ollama(model, answer, promptTokens, completionTokens)
                    : openAi(model, answer, promptTokens, completionTokens));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "policy server: " + exchange.getRequestURI() + " failed", e);
            throw e;
        }
    }

    /** A message's text: a string, or OpenAI's array of parts (the text parts joined). */
    private static String content(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asText());
        }
        return text.toString();
    }

    private static ObjectNode ollama(String model, String answer, int promptTokens, int completionTokens) {
        ObjectNode r = JSON.createObjectNode();
        r.put("model", model);
        r.put("created_at", Instant.now().toString());
        ObjectNode message = r.putObject("message");
        message.put("role", "assistant");
        message.put("content", answer);
        r.put("done_reason", "stop");
        r.put("done", true);
        r.put("prompt_eval_count", promptTokens);
        r.put("eval_count", completionTokens);
        return r;
    }

    private ObjectNode openAi(String model, String answer, int promptTokens, int completionTokens) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", "chatcmpl-scripted-" + ids.incrementAndGet());
        r.put("object", "chat.completion");
        r.put("created", Instant.now().getEpochSecond());
        r.put("model", model);
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", answer);
        choice.put("finish_reason", "stop");
        ObjectNode usage = r.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        return r;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().putAll(Map.of("Content-Type", java.util.List.of("application/json")));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
