package io.aether.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Time from publishing a blueprint to all its instances ACTIVE and serving: {@code DeployBench NODE_URL
 * [--instances 10] [--runs 3]}. Each run publishes a blueprint of the example greeting slice with that many
 * instances, polls {@code /api/v1/endpoints} every 10 ms until every instance's {@code greet} endpoint is
 * published and a call through the router answers, prints the time, then deletes the blueprint and waits until
 * its endpoints are gone.
 */
public final class DeployBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DeployBench() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int instances = 10;
        int runs = 3;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--instances" -> instances = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String version = System.getProperty("aether.version", "0.1.0-SNAPSHOT");
        String artifact = "io.aether.examples:greeting:" + version;
        String blueprint = "{\"v\":1,\"slices\":[{\"artifact\":\"" + artifact + "\",\"instances\":" + instances
                + ",\"min\":0,\"max\":" + instances + ",\"routes\":[{\"method\":\"POST\",\"path\":\"/deploy-bench\","
                + "\"entry\":\"greet\"}]}]}";
        long[] millis = new long[runs];
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            send("PUT", url + "/api/v1/blueprints/bench/deploy", blueprint, 201);
            while (activeEndpoints(url, artifact) < instances
                    || status(HttpRequest.newBuilder(URI.create(url + "/deploy-bench"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"b\"}")).build()) != 200) {
                Thread.sleep(10); // polling interval of the measured wait
            }
            millis[r] = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("run %d: %d instances on the cluster ACTIVE and serving %d ms after publication%n",
                    r + 1, instances, millis[r]);
            send("DELETE", url + "/api/v1/blueprints/bench/deploy", null, 204);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (activeEndpoints(url, artifact) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("endpoints of " + artifact + " still published 60 s after delete");
                }
                Thread.sleep(50); // polling interval of a deadline-bounded wait
            }
        }
        java.util.Arrays.sort(millis);
        System.out.printf("median of %d runs: %d ms for %d instances%n", runs, millis[runs / 2], instances);
    }

    private static int activeEndpoints(String url, String artifact) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/endpoints")).build(),
                HttpResponse.BodyHandlers.ofString());
        int n = 0;
        for (JsonNode e : JSON.readTree(r.body()).path("items")) {
            if (e.path("artifact").asText().equals(artifact) && e.path("entry").asText().equals("greet")
                    && e.path("state").asText().equals("ACTIVE")) {
                n++;
            }
        }
        return n;
    }

    private static int status(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void send(String method, String url, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected && !(expected == 201 && r.statusCode() == 200)) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
