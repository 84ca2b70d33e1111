package io.aether.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What the load-step bench sees of the cluster, each observation stamped with the wall clock of its arrival: the
 * leader's metrics seconds and every node's cluster events (server-sent streams), and by polling the blueprint's
 * instance count and the ACTIVE endpoints (every 100 ms), new receipts (every 100 ms) and L1's last decision on the
 * leader (every 200 ms). At most {@value #MAX_RECORDS} observations of each kind are kept.
 */
final class ClusterWatch implements AutoCloseable {

    static final int MAX_RECORDS = 20_000;
    static final ObjectMapper JSON = new ObjectMapper();

    /** The slice's line of one metrics second. */
    record Second(long arrivedMs, long epochSecond, double calls, double p99Ms, int inFlight, int instances,
                  double cpu, Map<String, Double> nodeCpu, List<String> staleNodes) {
    }

    /** A cluster event as one node streamed it ({@code at} = the node's time of the event). */
    record Event(long arrivedMs, String node, String type, long atMs, JsonNode json) {
    }

    /** A receipt from the ledger ({@code timeMs} = when it was sealed, after the blueprint write it records). */
    record Receipt(long seenMs, long seq, long timeMs, String actor, String verdict, JsonNode decision,
                   String reasoning) {
    }

    /** L1's last decision as the leader showed it ({@code atMs} = the tick that made it). */
    record Decision(long seenMs, long atMs, String reasoning, int changes) {
    }

    /** A count as polled, recorded when it changed. */
    record Count(long seenMs, int value) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<URI> nodes;
    private final String blueprint;
    private final String artifact;
    private final String entry;
    private final ScheduledExecutorService polls = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "cluster-watch-poll");
        t.setDaemon(true);
        return t;
    });
    private final List<Thread> streams = new ArrayList<>();
    private final List<Second> seconds = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<Receipt> receipts = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final List<Count> blueprintInstances = new ArrayList<>();
    private final List<Count> activeEndpoints = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private volatile boolean running = true;
    private volatile int leader;
    private long nextSeq = 1;

    /**
     * Watches {@code artifact} (versioned) of {@code blueprint} ({@code tenant/name}), whose endpoints are named
     * {@code entry}, on the nodes at {@code nodes} (node-i at index i).
     */
    ClusterWatch(List<URI> nodes, String blueprint, String artifact, String entry) throws IOException,
            InterruptedException {
        this.nodes = List.copyOf(nodes);
        this.blueprint = blueprint;
        this.artifact = artifact;
        this.entry = entry;
        this.leader = leaderIndex();
        for (int i = 0; i < nodes.size(); i++) {
            int node = i;
            stream(nodes.get(i).resolve("/api/v1/events?replay=0"), line -> event(node, line));
        }
        stream(nodes.get(leader).resolve("/api/v1/metrics/stream"), this::metrics);
        polls.scheduleWithFixedDelay(() -> guarded("poll", this::pollKv), 0, 100, TimeUnit.MILLISECONDS);
        polls.scheduleWithFixedDelay(() -> guarded("controller", this::pollController), 0, 200,
                TimeUnit.MILLISECONDS);
    }

    /** The index of the node {@code /api/v1/controller} names as the leader. */
    int leaderIndex() throws IOException, InterruptedException {
        String id = get(nodes.get(0), "/api/v1/controller").path("leader").asText("");
        int dash = id.lastIndexOf('-');
        if (dash < 0) {
            throw new IllegalStateException("/api/v1/controller names no leader yet ('" + id + "')");
        }
        return Integer.parseInt(id.substring(dash + 1));
    }

    URI leaderUri() {
        return nodes.get(leader);
    }

    JsonNode get(URI node, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + node.resolve(path) + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    void put(URI node, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("PUT " + node.resolve(path) + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private void stream(URI uri, java.util.function.Consumer<String> onData) {
        Thread t = new Thread(() -> {
            try {
                HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(uri)
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
                if (r.statusCode() != 200) {
                    fail("stream " + uri + " answered " + r.statusCode());
                    return;
                }
                try (Stream<String> lines = r.body()) {
                    lines.takeWhile(l -> running).filter(l -> l.startsWith("data:"))
                            .forEach(l -> onData.accept(l.substring(5).trim()));
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    fail("stream " + uri + ": " + e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cluster-watch-" + uri.getPath());
        t.setDaemon(true);
        t.start();
        streams.add(t);
    }

    private void event(int node, String data) {
        try {
            JsonNode e = JSON.readTree(data);
            String type = e.path("type").asText();
            boolean ours = type.equals("BlueprintChanged") ? e.path("blueprint").asText().equals(blueprint)
                    : type.equals("SliceStateChanged") && e.path("artifact").asText().equals(artifact);
            if (ours) {
                add(events, new Event(System.currentTimeMillis(), "node-" + node, type,
                        Instant.parse(e.path("at").asText()).toEpochMilli(), e));
            }
        } catch (IOException | RuntimeException e) {
            fail("event from node-" + node + " '" + data + "': " + e);
        }
    }

    private void metrics(String data) {
        try {
            long arrived = System.currentTimeMillis();
            JsonNode s = JSON.readTree(data);
            JsonNode slice = s.path("slices").path(artifact);
            Map<String, Double> cpu = new TreeMap<>();
            s.path("nodes").fields().forEachRemaining(n -> cpu.put(n.getKey(), n.getValue().path("cpu").asDouble()));
            List<String> stale = new ArrayList<>();
            s.path("staleNodes").forEach(n -> stale.add(n.asText()));
            add(seconds, new Second(arrived, s.path("epochSecond").asLong(), slice.path("callsPerSecond").asDouble(),
                    slice.path("p99Ms").asDouble(), slice.path("inFlight").asInt(), slice.path("instances").asInt(),
                    slice.path("cpu").asDouble(), cpu, stale));
        } catch (IOException | RuntimeException e) {
            fail("metrics second '" + data + "': " + e);
        }
    }

    private void pollKv() throws IOException, InterruptedException {
        URI node = nodes.get(leader);
        int instances = -1;
        JsonNode b = get(node, "/api/v1/blueprints/" + blueprint);
        for (JsonNode slice : b.has("slices") ? b.path("slices") : b.path("blueprint").path("slices")) {
            if (slice.path("artifact").asText().equals(artifact)) {
                instances = slice.path("instances").asInt();
            }
        }
        changed(blueprintInstances, instances);
        int active = 0;
        for (JsonNode e : get(node, "/api/v1/endpoints").path("items")) {
            if (e.path("artifact").asText().equals(artifact) && e.path("entry").asText().equals(entry)
                    && e.path("state").asText().equals("ACTIVE")) {
                active++;
            }
        }
        changed(activeEndpoints, active);
        long seen = System.currentTimeMillis();
        for (JsonNode r : get(node, "/api/v1/receipts?fromSeq=" + nextSeq + "&limit=1000").path("items")) {
            nextSeq = r.path("seq").asLong() + 1;
            add(receipts, new Receipt(seen, r.path("seq").asLong(), Instant.parse(r.path("time").asText())
                    .toEpochMilli(), r.path("actor").asText(), r.path("verdict").asText(),
                    JSON.readTree(r.path("decision").asText("{}")), r.path("reasoning").asText()));
        }
    }

    private void pollController() throws IOException, InterruptedException {
        long seen = System.currentTimeMillis();
        JsonNode c = get(nodes.get(leader), "/api/v1/controller");
        for (JsonNode layer : c.path("layers")) {
            JsonNode d = layer.path("lastDecision");
            if (layer.path("layer").asText().equals("l1") && d.isObject()) {
                long at = Instant.parse(d.path("at").asText()).toEpochMilli();
                synchronized (this) {
                    if (decisions.isEmpty() || decisions.get(decisions.size() - 1).atMs() != at) {
                        add(decisions, new Decision(seen, at, d.path("reasoning").asText(),
                                d.path("changes").size()));
                    }
                }
            }
        }
    }

    private interface Poll {
        void run() throws IOException, InterruptedException;
    }

    private void guarded(String what, Poll poll) {
        try {
            poll.run();
        } catch (IOException | RuntimeException e) {
            fail(what + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void changed(List<Count> counts, int value) {
        if (counts.isEmpty() || counts.get(counts.size() - 1).value() != value) {
            add(counts, new Count(System.currentTimeMillis(), value));
        }
    }

    private synchronized <T> void add(List<T> list, T item) {
        if (list.size() >= MAX_RECORDS) {
            throw new IllegalStateException("cluster watch: more than " + MAX_RECORDS + " observations of one kind");
        }
        list.add(item);
    }

    private synchronized void fail(String message) {
        if (failures.size() < 100) {
            failures.add(System.currentTimeMillis() + " " + message);
        }
    }

    synchronized List<Second> seconds() {
        return List.copyOf(seconds);
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<Receipt> receipts(Predicate<Receipt> which) {
        return receipts.stream().filter(which).toList();
    }

    synchronized List<Decision> decisions() {
        return List.copyOf(decisions);
    }

    synchronized List<Count> blueprintInstances() {
        return List.copyOf(blueprintInstances);
    }

    synchronized List<Count> activeEndpoints() {
        return List.copyOf(activeEndpoints);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** The last value of {@code counts} recorded at or before {@code ms} (-1 when none). */
    static int valueAt(List<Count> counts, long ms) {
        int v = -1;
        for (Count c : counts) {
            if (c.seenMs() <= ms) {
                v = c.value();
            }
        }
        return v;
    }

    @Override
    public void close() {
        running = false;
        polls.shutdownNow();
        streams.forEach(Thread::interrupt);
    }
}
