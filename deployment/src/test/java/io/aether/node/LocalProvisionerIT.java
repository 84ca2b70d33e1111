package io.aether.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local provisioner on real processes: a core node of the packaged application with
 * {@code aether.provisioner=local} starts a worker node as its child, the worker joins the cluster and takes an
 * instance, and removing it drains the instance back to the core node before the worker process ends; stopping the
 * core node stops its workers. One core node serves both tests, in order (the second one stops it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalProvisionerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GREETING = "io.aether.examples:greeting:0.1.0-SNAPSHOT";

    private final Path dir = Path.of("target", "provisioner-it", String.valueOf(System.currentTimeMillis()))
            .toAbsolutePath();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private NodeProcess core;
    private String base;

    @AfterAll
    void stop() {
        if (core != null) {
            core.close();
        }
    }

    @BeforeAll
    void startCore() throws Exception {
        int httpPort = NodeProcess.freePort();
        Map<String, String> props = new HashMap<>();
        props.put("aether.node.id", "core-0");
        props.put("aether.cluster.peer-host", "127.0.0.1");
        props.put("aether.cluster.peer-port", String.valueOf(NodeProcess.freePort()));
        props.put("aether.cluster.call-port", String.valueOf(NodeProcess.freePort()));
        props.put("aether.slices.repositories", "file:" + LocalCluster.SLICE_REPOSITORY);
        props.put("aether.controller.mode", "observe"); // the autoscaler must not move the instances counted here
        props.put("aether.data-dir", dir.resolve("core-0-data").toString());
        props.put("quarkus.http.port", String.valueOf(httpPort));
        props.put("quarkus.log.console.json.enabled", "false");
        props.put("aether.provisioner", "local");
        props.put("aether.provisioner.local.max-workers", "1");
        props.put("aether.provisioner.local.jvm-options", "-Xmx256m -XX:TieredStopAtLevel=1"); // starts faster
        core = NodeProcess.start(dir.resolve("core-0"), props);
        base = "http://127.0.0.1:" + httpPort;
        await("the core node to be ready", Duration.ofSeconds(60), () -> status("GET", "/q/health/ready", null) == 200);
    }

    @Test
    @Order(1)
    void aProvisionedWorkerJoinsTakesAnInstanceAndIsDrainedBeforeItStops() throws Exception {
        HttpResponse<String> added = send("POST", "/api/v1/workers", null);
        assertEquals(202, added.statusCode(), added.body());
        String worker = JSON.readTree(added.body()).path("id").asText();
        assertEquals("core-0-worker-1", worker);
        await("the worker to be live in the cluster", Duration.ofSeconds(30), () -> nodeLive(worker));
        long pid = workerView(worker).path("pid").asLong();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker pid " + pid);

        HttpResponse<String> second = send("POST", "/api/v1/workers", null);
        assertEquals(409, second.statusCode(), second.body());
        assertTrue(second.body().contains("max-workers"), second.body());

        HttpResponse<String> put = send("PUT", "/api/v1/blueprints/it/hello", "{\"v\":1,\"slices\":[{\"artifact\":\""
                + GREETING + "\",\"instances\":2,\"min\":0,\"max\":4}]}");
        assertEquals(201, put.statusCode(), put.body());
        await("an ACTIVE instance on the worker", Duration.ofSeconds(30), () -> activeOn(worker) == 1);

        HttpResponse<String> removed = send("DELETE", "/api/v1/workers/" + worker, null);
        assertEquals(200, removed.statusCode(), removed.body());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker process still runs");
        assertFalse(nodeLive(worker), "the worker is still live after its removal");
        await("both instances ACTIVE on the core node", Duration.ofSeconds(30), () -> activeOn("core-0") == 2);
        assertEquals(404, send("DELETE", "/api/v1/workers/" + worker, null).statusCode());
    }

    @Test
    @Order(2)
    void stoppingTheCoreNodeStopsItsWorkers() throws Exception {
        HttpResponse<String> added = send("POST", "/api/v1/workers", null);
        assertEquals(202, added.statusCode(), added.body());
        String worker = JSON.readTree(added.body()).path("id").asText();
        assertEquals("core-0-worker-2", worker);
        long pid = workerView(worker).path("pid").asLong();
        core.terminate(30);
        // The core node waits for its workers before it exits, so the worker is gone by now.
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                "worker pid " + pid + " outlived its core node");
    }

    private JsonNode workerView(String id) throws IOException, InterruptedException {
        for (JsonNode w : JSON.readTree(send("GET", "/api/v1/workers", null).body()).path("items")) {
            if (w.path("id").asText().equals(id)) {
                return w;
            }
        }
        throw new AssertionError("GET /api/v1/workers does not list " + id);
    }

    private boolean nodeLive(String id) {
        try {
            for (JsonNode n : JSON.readTree(send("GET", "/api/v1/nodes", null).body()).path("items")) {
                if (n.path("id").asText().equals(id)) {
                    return n.path("live").asBoolean();
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Instances the {@code slices/} keys say are ACTIVE on {@code node}. */
    private int activeOn(String node) {
        try {
            int active = 0;
            for (JsonNode s : JSON.readTree(send("GET", "/api/v1/slices", null).body()).path("items")) {
                if (s.path("node").asText().equals(node) && s.path("state").asText().equals("ACTIVE")) {
                    active += s.path("instances").asInt();
                }
            }
            return active;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String method, String path, String body) {
        try {
            return send(method, path, body).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!core.alive()) {
                throw new AssertionError("the core node exited while waiting for " + what + "; log:\n"
                        + core.output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; core log:\n" + core.output());
            }
            Thread.sleep(100); // polling interval of a deadline-bounded wait
        }
    }
}
