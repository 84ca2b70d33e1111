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
    private final NodeProcess[] nodes;
    private final String peers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    LocalCluster(Path dir, int size) throws IOException {
        this.dir = dir;
        httpPorts = new int[size];
        peerPorts = new int[size];
        nodes = new NodeProcess[size];
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            httpPorts[i] = NodeProcess.freePort();
            peerPorts[i] = NodeProcess.freePort();
            entries.add("node-" + i + "@127.0.0.1:" + peerPorts[i]);
        }
        peers = String.join(",", entries);
    }

    int size() {
        return nodes.length;
    }

    void start(int i) throws IOException {
        Map<String, String> props = new HashMap<>();
        props.put("aether.node.id", "node-" + i);
        props.put("aether.cluster.peers", peers);
        props.put("aether.cluster.peer-host", "127.0.0.1");
        props.put("aether.cluster.peer-port", String.valueOf(peerPorts[i]));
        props.put("aether.data-dir", dir.resolve("node-" + i + "-data").toString());
        props.put("quarkus.http.port", String.valueOf(httpPorts[i]));
        props.put("quarkus.log.console.json.enabled", "false");
        nodes[i] = NodeProcess.start(dir.resolve("node-" + i), props);
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
                throw new AssertionError("node-" + i + " exited; log:\n" + nodes[i].output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node-" + i + " not ready within " + timeout + "; log:\n" + nodes[i].output());
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
        List<HostAndPort> servers = new ArrayList<>();
        for (int port : peerPorts) {
            servers.add(new HostAndPort("127.0.0.1", port));
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
