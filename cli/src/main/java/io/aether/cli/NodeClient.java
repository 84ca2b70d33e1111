package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The node's REST API over HTTP/1.1. A request goes to the node that answered last; when a node cannot be
 * connected to, the next one of the list is tried. A node that accepted the connection but did not answer in time
 * is not retried elsewhere: the request may have been applied, and a POST must not be applied twice.
 */
final class NodeClient {

    /** The largest answer read; a range of a few thousand 1 MiB values is the realistic worst case. */
    static final int MAX_BODY_BYTES = 64 << 20;

    private final ClientSettings settings;
    private final ObjectMapper json;
    private final HttpClient http;
    private final AtomicInteger preferred = new AtomicInteger();
    private final Object streamLock = new Object();
    private OpenStream openStream;

    private record OpenStream(Thread reader, InputStream body) {
    }

    NodeClient(ClientSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    ClientSettings settings() {
        return settings;
    }

    JsonNode get(String pathAndQuery) {
        return send("GET", pathAndQuery, null, null);
    }

    /** Sends JSON; the node's JSON answer, or a missing node when it answered with no body. */
    JsonNode sendJson(String method, String pathAndQuery, JsonNode body) {
        try {
            return send(method, pathAndQuery, json.writeValueAsBytes(body), "application/json");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the request body for " + method + " " + pathAndQuery, e);
        }
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @throws ApiException             the node answered with an error status
     * @throws NodeUnreachableException no node could be reached, or the reached one did not answer in time
     */
    JsonNode send(String method, String pathAndQuery, byte[] body, String contentType) {
        HttpResponse<InputStream> response = open(method, pathAndQuery, body, contentType, false);
        byte[] answer = readAll(response, method, pathAndQuery);
        if (response.statusCode() / 100 != 2) {
            throw ApiException.of(response.statusCode(), answer, json);
        }
        if (answer.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(answer);
        } catch (IOException e) {
            throw new IllegalStateException(response.uri() + " answered " + method + " " + pathAndQuery
                    + " with a body that is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a server-sent event stream, handing each event to the listener, until the node ends it or
     * {@link #cancelStream()} is called.
     *
     * @return true when the node ended the stream, false when it was cancelled
     */
    boolean stream(String pathAndQuery, Consumer<SseEvent> listener) {
        HttpResponse<InputStream> response = open("GET", pathAndQuery, null, null, true);
        if (response.statusCode() / 100 != 2) {
            throw ApiException.of(response.statusCode(), readAll(response, "GET", pathAndQuery), json);
        }
        OpenStream open = new OpenStream(Thread.currentThread(), response.body());
        synchronized (streamLock) {
            openStream = open;
        }
        IOException broken = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            new SseReader(reader).forEach(listener);
        } catch (IOException e) {
            broken = e;
        }
        synchronized (streamLock) {
            boolean cancelled = openStream != open;
            openStream = null;
            if (cancelled) {
                // the interrupt was this stream's cancellation and must not outlive it
                Thread.interrupted();
                return false;
            }
        }
        if (broken != null) {
            throw new NodeUnreachableException("the stream " + pathAndQuery + " from " + response.uri().getAuthority()
                    + " broke: " + describe(broken));
        }
        return true;
    }

    /** Ends the stream being read, if any; safe to call from another thread (a Ctrl-C handler). */
    void cancelStream() {
        OpenStream open;
        synchronized (streamLock) {
            open = openStream;
            if (open == null) {
                return;
            }
            openStream = null;
            // first the interrupt: it wakes the blocked read, which holds the body's monitor that close() needs
            open.reader().interrupt();
        }
        try {
            open.body().close();
        } catch (IOException e) {
            System.getLogger(NodeClient.class.getName())
                    .log(System.Logger.Level.DEBUG, "closing a cancelled stream; the interrupt ended it", e);
        }
    }

    private HttpResponse<InputStream> open(String method, String pathAndQuery, byte[] body, String contentType,
                                           boolean stream) {
        List<URI> nodes = settings.nodes();
        List<String> failures = new ArrayList<>();
        int first = preferred.get();
        for (int i = 0; i < nodes.size(); i++) {
            int index = (first + i) % nodes.size();
            URI base = nodes.get(index);
            HttpRequest request = request(base, method, pathAndQuery, body, contentType, stream);
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                preferred.set(index);
                return response;
            } catch (HttpConnectTimeoutException e) {
                failures.add(base.getAuthority() + ": no connection within " + settings.timeout().toSeconds() + " s");
            } catch (HttpTimeoutException e) {
                throw new NodeUnreachableException(base.getAuthority() + " did not answer " + method + " "
                        + pathAndQuery + " within " + settings.timeout().toSeconds() + " s (--timeout)");
            } catch (IOException e) {
                if (!isConnectFailure(e)) {
                    throw new NodeUnreachableException(method + " " + pathAndQuery + " to " + base.getAuthority()
                            + " failed: " + describe(e));
                }
                failures.add(base.getAuthority() + ": " + describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException(method + " " + pathAndQuery + " was interrupted");
            }
        }
        throw new NodeUnreachableException("no node could be reached (" + String.join("; ", failures) + ")");
    }

    private HttpRequest request(URI base, String method, String pathAndQuery, byte[] body, String contentType,
                                boolean stream) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("User-Agent", "aether-cli")
                .header("Accept", stream ? "text/event-stream" : "application/json, application/problem+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (!stream) {
            request.timeout(settings.timeout());
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        settings.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return request.build();
    }

    private byte[] readAll(HttpResponse<InputStream> response, String method, String pathAndQuery) {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new IllegalStateException(response.uri().getAuthority() + " answered " + method + " "
                        + pathAndQuery + " with more than " + (MAX_BODY_BYTES >> 20) + " MiB");
            }
            return bytes;
        } catch (HttpTimeoutException e) {
            throw new NodeUnreachableException(response.uri().getAuthority() + " did not finish answering " + method
                    + " " + pathAndQuery + " within " + settings.timeout().toSeconds() + " s (--timeout)");
        } catch (IOException e) {
            throw new NodeUnreachableException("reading the answer to " + method + " " + pathAndQuery + " from "
                    + response.uri().getAuthority() + " failed: " + describe(e));
        }
    }

    private static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException
                    || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        return e.getClass().getSimpleName();
    }
}
