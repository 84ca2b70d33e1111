package io.aether.node;

import io.aether.core.client.KvClient;
import io.aether.core.client.KvClientConfig;
import io.aether.core.net.HostAndPort;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Core nodes of the packaged application as separate processes on loopback, as {@code ./aether-local} runs them. */
final class LocalCluster implements AutoCloseable {

    private final Path dir;
    private final int[] httpPorts;
    private final int[] peerPorts;
    private final int[] callPorts;
    private final NodeProcess[] nodes;
    private final int cores;
    private final String peers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    LocalCluster(Path dir, int size) throws IOException {
        this(dir, size, 0);
    }

    /** {@code cores} core nodes (node-0..) then {@code workers} worker nodes (worker-0..). */
    LocalCluster(Path dir, int cores, int workers) throws IOException {
        this.dir = dir;
        this.cores = cores;
        int size = cores + workers;
        httpPorts = new int[size];
        peerPorts = new int[size];
        callPorts = new int[size];
        nodes = new NodeProcess[size];
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            httpPorts[i] = NodeProcess.freePort();
            peerPorts[i] = NodeProcess.freePort();
            callPorts[i] = NodeProcess.freePort();
            if (i < cores) {
                entries.add("node-" + i + "@127.0.0.1:" + peerPorts[i]);
            }
        }
        peers = String.join(",", entries);
    }

    /** The node id of process {@code i}. */
    String nodeId(int i) {
        return i < cores ? "node-" + i : "worker-" + (i - cores);
    }

    int httpPort(int i) {
        return httpPorts[i];
    }

    String url(int i) {
        return "http://127.0.0.1:" + httpPorts[i];
    }

    /** The example slices the examples module builds into a directory repository. */
    static final Path SLICE_REPOSITORY = Path.of("..", "examples", "target", "slice-repository").toAbsolutePath()
            .normalize();

    int size() {
        return nodes.length;
    }

    void start(int i) throws IOException {
        Map<String, String> props = new HashMap<>();
        String id = nodeId(i);
        props.put("aether.node.id", id);
        props.put("aether.node.role", i < cores ? "core" : "worker");
        props.put("aether.cluster.peers", peers);
        props.put("aether.cluster.peer-host", "127.0.0.1");
        props.put("aether.cluster.peer-port", String.valueOf(peerPorts[i]));
        props.put("aether.cluster.call-port", String.valueOf(callPorts[i]));
        props.put("aether.slices.repositories", "file:" + SLICE_REPOSITORY);
        // Layer 1 only records here: these tests count instances and must not see the autoscaler move them.
        props.put("aether.controller.mode", "observe");
        props.put("aether.data-dir", dir.resolve(id + "-data").toString());
        props.put("quarkus.http.port", String.valueOf(httpPorts[i]));
        props.put("quarkus.log.console.json.enabled", "false");
        nodes[i] = NodeProcess.start(dir.resolve(id), props);
    }

    void startAll() throws IOException {
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
    }

    void kill(int i) throws InterruptedException {
        nodes[i].kill();
    }

    int httpStatus(int i, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[i] + path))
                    .timeout(Duration.ofSeconds(2)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String httpGet(int i, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[i] + path))
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    void awaitReady(int i, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (httpStatus(i, "/q/health/ready") != 200) {
            if (!nodes[i].alive()) {
                throw new AssertionError(nodeId(i) + " exited; log:\n" + nodes[i].output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(nodeId(i) + " not ready within " + timeout + "; log:\n" + nodes[i].output());
            }
            Thread.sleep(50); // polling interval of a deadline-bounded wait
        }
    }

    void awaitAllReady(Duration timeout) throws InterruptedException {
        for (int i = 0; i < nodes.length; i++) {
            awaitReady(i, timeout);
        }
    }

    KvClient client(Vertx vertx, String name) {
        return client(vertx, name, 0);
    }

    /** A client that prefers core node {@code first} and fails over to the others in order. */
    KvClient client(Vertx vertx, String name, int first) {
        List<HostAndPort> servers = new ArrayList<>();
        for (int i = 0; i < cores; i++) {
            servers.add(new HostAndPort("127.0.0.1", peerPorts[(first + i) % cores]));
        }
        return KvClient.connect(vertx, KvClientConfig.defaults(servers, 1, name)
                .withRequestTimeout(Duration.ofSeconds(30)));
    }

    @Override
    public void close() {
        for (NodeProcess n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }
}
