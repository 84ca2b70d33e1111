package io.aether.node;

import static io.aether.node.Await.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The management API and the router on one in-process node (a single-node cluster of itself): blueprints in,
 * slices served, every bad input a problem document that names what was wrong.
 */
@QuarkusTest
class RuntimeApiTest {

    private static final String V = "0.1.0-SNAPSHOT";
    private static final String GREETING = "io.aether.examples:greeting:" + V;

    /** Layer 1 records but does not move instances while these tests count them (the KV may hold another mode). */
    @org.junit.jupiter.api.BeforeEach
    void controllerObserves() throws InterruptedException {
        awaitReady();
        given().contentType("application/json").body("{\"mode\":\"observe\"}").put("/api/v1/controller/mode")
                .then().statusCode(200);
    }

    @AfterEach
    void removeBlueprints() {
        for (String name : new String[] {"hello", "empty", "faulty", "other"}) {
            given().delete("/api/v1/blueprints/test/" + name);
        }
    }

    /** Polls until the node is ready, with a deadline: readiness includes the cluster runtime. */
    static void awaitReady() throws InterruptedException {
        await("the node to be ready", () -> given().get("/q/health/ready").statusCode() == 200);
    }


    private static String greetingBlueprint(int instances) {
        return "{\"v\":1,\"slices\":[{\"artifact\":\"" + GREETING + "\",\"instances\":" + instances
                + ",\"min\":0,\"max\":4,\"config\":{\"greeting\":\"Hi\"},"
                + "\"routes\":[{\"method\":\"POST\",\"path\":\"/t/greet\",\"entry\":\"greet\"},"
                + "{\"method\":\"GET\",\"path\":\"/t/greet\",\"entry\":\"greet\"}]}]}";
    }

    private static Response put(String name, String body) {
        return given().contentType("application/json").body(body).put("/api/v1/blueprints/test/" + name);
    }

    @Test
    void aPublishedBlueprintIsLoadedActivatedAndServedThroughTheRouter() throws InterruptedException {
        awaitReady();
        put("hello", greetingBlueprint(2)).then().statusCode(201).body("revision", notNullValue());
        await("POST /t/greet to answer", () -> given().contentType("application/json").body("{\"name\":\"Ada\"}")
                .post("/t/greet").statusCode() == 200);
        given().contentType("application/json").body("{\"name\":\"Ada\"}").post("/t/greet").then()
                .statusCode(200).body("message", equalTo("Hi, Ada!"));
        given().get("/t/greet?name=Bob").then().statusCode(200).body("message", equalTo("Hi, Bob!"));
        given().get("/api/v1/slices").then().statusCode(200)
                .body("items.find { it.artifact == '" + GREETING + "' }.state", equalTo("ACTIVE"))
                .body("items.find { it.artifact == '" + GREETING + "' }.instances", equalTo(2));
        given().get("/api/v1/endpoints").then().statusCode(200).body("items.entry", hasItem("greet"));
        given().get("/api/v1/nodes").then().statusCode(200)
                .body("items[0].id", equalTo("aether-test")).body("items[0].leader", equalTo(true))
                .body("items[0].live", equalTo(true));
        given().get("/api/v1/blueprints").then().statusCode(200).body("items.name", hasItem("hello"));
        given().get("/api/v1/blueprints/test/hello").then().statusCode(200)
                .body("slices[0].artifact", equalTo(GREETING));
        given().get("/api/v1/status").then().statusCode(200).body("leader", equalTo("aether-test"))
                .body("runtimeStarted", equalTo(true));
    }

    @Test
    void anInvalidBlueprintIs422NamingEveryBrokenRule() throws InterruptedException {
        awaitReady();
        String body = "{\"v\":1,\"slices\":[{\"artifact\":\"" + GREETING + "\",\"instances\":0,\"min\":1,\"max\":4,"
                + "\"routes\":[{\"method\":\"PATCH\",\"path\":\"/api/v1/x\",\"entry\":\"greet\"}]}]}";
        put("hello", body).then().statusCode(422).contentType("application/problem+json")
                .body("title", equalTo("Invalid Blueprint"))
                .body("errors.field", hasItem("slices[0].instances"))
                .body("errors.field", hasItem("slices[0].routes[0].method"))
                .body("errors.field", hasItem("slices[0].routes[0].path"));
        put("hello", "{\"v\":1,\"slices\":[").then().statusCode(422).body("detail", containsString("not JSON"));
        put("hello", "{\"v\":1,\"tenant\":\"other\",\"slices\":[{\"artifact\":\"" + GREETING + "\",\"instances\":1,"
                + "\"min\":0,\"max\":2}]}").then().statusCode(422).body("errors.field", hasItem("tenant"));
        given().get("/api/v1/blueprints/test/hello").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aSecondBlueprintClaimingTheSameRouteIsAConflict() throws InterruptedException {
        awaitReady();
        put("hello", greetingBlueprint(0)).then().statusCode(201);
        String other = "{\"v\":1,\"slices\":[{\"artifact\":\"io.aether.examples:relay:" + V + "\",\"instances\":0,"
                + "\"min\":0,\"max\":2,\"routes\":[{\"method\":\"POST\",\"path\":\"/t/greet\",\"entry\":\"handle\"}]}]}";
        put("other", other).then().statusCode(409).contentType("application/problem+json")
                .body("title", equalTo("Blueprint Conflict"));
    }

    @Test
    void aRouteWithoutInstancesAnswers503WithRetryAfter() throws InterruptedException {
        awaitReady();
        put("empty", greetingBlueprint(0)).then().statusCode(201);
        await("the route to be known", () -> given().post("/t/greet").statusCode() != 404);
        given().contentType("application/json").body("{}").post("/t/greet").then().statusCode(503)
                .header("Retry-After", "1").contentType("application/problem+json")
                .body("detail", containsString("no ACTIVE instance"));
    }

    @Test
    void aFailingSliceAnswersWithItsErrorAndLeavesOthersServing() throws InterruptedException {
        awaitReady();
        put("hello", greetingBlueprint(1)).then().statusCode(201);
        // Every call of faulty-call fails: with the default error SLO (0.01) its governor would go to refusing
        // within seconds and admission control would answer 503 instead of the slice's error this test is about.
        put("faulty", "{\"v\":1,\"slices\":[{\"artifact\":\"io.aether.examples:faulty-call:" + V + "\",\"instances\":1,"
                + "\"min\":0,\"max\":2,\"slo\":{\"errorRate\":1},"
                + "\"routes\":[{\"method\":\"POST\",\"path\":\"/t/faulty\",\"entry\":\"handle\"}]}]}")
                .then().statusCode(201);
        await("the faulty slice to be called", () -> given().body("{}").post("/t/faulty").statusCode() == 500);
        given().body("{}").post("/t/faulty").then().statusCode(500).contentType("application/problem+json")
                .body("detail", containsString("injected failure"));
        await("greeting to serve", () -> given().body("{\"name\":\"x\"}").post("/t/greet").statusCode() == 200);
    }

    @Test
    void aSliceFailingToActivateIsFailedWithItsReasonWhileOthersServe() throws InterruptedException {
        awaitReady();
        put("hello", greetingBlueprint(1)).then().statusCode(201);
        String artifact = "io.aether.examples:faulty-activate:" + V;
        put("faulty", "{\"v\":1,\"slices\":[{\"artifact\":\"" + artifact + "\",\"instances\":1,\"min\":0,\"max\":2}]}")
                .then().statusCode(201);
        await("faulty-activate to be FAILED", () -> "FAILED".equals(given().get("/api/v1/slices").then()
                .extract().path("items.find { it.artifact == '" + artifact + "' }.state")));
        given().get("/api/v1/slices").then()
                .body("items.find { it.artifact == '" + artifact + "' }.reason", containsString("database unreachable"));
        await("greeting to serve", () -> given().body("{\"name\":\"x\"}").post("/t/greet").statusCode() == 200);
    }

    @Test
    void callsShowUpInTheClusterMetricsWithinSeconds() throws InterruptedException {
        awaitReady();
        put("hello", greetingBlueprint(1)).then().statusCode(201);
        await("greeting to serve", () -> given().body("{\"name\":\"x\"}").post("/t/greet").statusCode() == 200);
        await("the greeting calls in /api/v1/metrics", () -> {
            given().body("{\"name\":\"m\"}").post("/t/greet");
            Response r = given().get("/api/v1/metrics");
            if (r.statusCode() != 200) {
                return false;
            }
            Float calls = r.path("slices.'" + GREETING + "'.callsPerSecond");
            return calls != null && calls > 0;
        });
        given().get("/api/v1/metrics").then().statusCode(200)
                .body("nodes.'aether-test'.heapUsedBytes", org.hamcrest.Matchers.greaterThan(0))
                .body("staleNodes", org.hamcrest.Matchers.empty());
    }

    @Test
    void theControllerModeIsSwitchedThroughTheApiAndTheReceiptChainVerifies() throws InterruptedException {
        awaitReady();
        given().get("/api/v1/controller").then().statusCode(200).body("leader", equalTo("aether-test"));
        try {
            given().contentType("application/json").body("{\"mode\":\"propose\"}").put("/api/v1/controller/mode")
                    .then().statusCode(200).body("mode", equalTo("propose"));
            await("the mode to read propose", () -> "propose".equals(
                    given().get("/api/v1/controller").then().extract().path("mode")));
            given().contentType("application/json").body("{\"mode\":\"yolo\"}").put("/api/v1/controller/mode")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("'yolo' is not one of observe, propose, apply"));
        } finally {
            given().contentType("application/json").body("{\"mode\":\"observe\"}").put("/api/v1/controller/mode")
                    .then().statusCode(200);
        }
        given().get("/api/v1/proposals").then().statusCode(200).body("items", notNullValue());
        long head = ((Number) given().get("/api/v1/receipts/verify").then().extract().path("receipts")).longValue();
        given().get("/api/v1/receipts?fromSeq=" + Math.max(1, head - 20)).then().statusCode(200)
                .body("items.findAll { it.verdict == 'mode' }.reasoning", hasItem("mode: propose -> observe"))
                .body("items.findAll { it.verdict == 'mode' }.actor", hasItem("human:api"));
        given().post("/api/v1/proposals/no-such-id/approve").then().statusCode(409)
                .contentType("application/problem+json");
        given().get("/api/v1/receipts/verify").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void eachLayerHasItsOwnModeRestrictedByTheGlobalOne() throws InterruptedException {
        awaitReady();
        try {
            given().contentType("application/json").body("{\"mode\":\"apply\",\"layer\":\"l2\"}")
                    .put("/api/v1/controller/mode").then().statusCode(200)
                    .body("mode", equalTo("apply")).body("layer", equalTo("l2"));
            await("l2 to read apply", () -> "apply".equals(given().get("/api/v1/controller").then().extract()
                    .path("layers.find { it.layer == 'l2' }.mode")));
            // The tests run the global mode at observe: the effective mode of every layer is observe.
            given().get("/api/v1/controller").then().statusCode(200)
                    .body("mode", equalTo("observe"))
                    .body("layers.layer", hasItem("l1"))
                    .body("layers.find { it.layer == 'l1' }.effectiveMode", equalTo("observe"))
                    .body("layers.find { it.layer == 'l1' }.everyMs", equalTo(1000))
                    .body("layers.find { it.layer == 'l2' }.effectiveMode", equalTo("observe"))
                    .body("layers.find { it.layer == 'l2' }.running", equalTo(false));
            given().contentType("application/json").body("{\"mode\":\"apply\",\"layer\":\"l9\"}")
                    .put("/api/v1/controller/mode").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("layer: 'l9' is not one of l1, l2, l3"));
        } finally {
            given().contentType("application/json").body("{\"mode\":\"propose\",\"layer\":\"l2\"}")
                    .put("/api/v1/controller/mode").then().statusCode(200);
        }
        given().get("/api/v1/receipts/verify").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void theEventStreamReplaysHistoryWithoutGaps() throws Exception {
        awaitReady();
        put("hello", greetingBlueprint(1)).then().statusCode(201); // makes sure there are several events
        await("greeting to serve", () -> given().body("{\"name\":\"x\"}").post("/t/greet").statusCode() == 200);
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + io.restassured.RestAssured.port + "/api/v1/events?replay=1000"))
                .header("Accept", "text/event-stream").build();
        java.net.http.HttpResponse<java.util.stream.Stream<String>> response = client.send(request,
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.List<Long> seqs = new java.util.ArrayList<>();
        try (java.util.stream.Stream<String> lines = response.body()) {
            java.util.Iterator<String> it = lines.filter(l -> l.startsWith("data:")).limit(6).iterator();
            while (it.hasNext()) {
                seqs.add(json.readTree(it.next().substring(5)).path("seq").asLong());
            }
        }
        for (int i = 1; i < seqs.size(); i++) {
            org.junit.jupiter.api.Assertions.assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "event seqs " + seqs);
        }
        org.junit.jupiter.api.Assertions.assertEquals(6, seqs.size(), "events read: " + seqs);
    }

    @Test
    void aHumanScaleGoesThroughTheGuardrailsAndAlwaysLeavesAReceipt() throws InterruptedException {
        awaitReady();
        put("hello", greetingBlueprint(1)).then().statusCode(201);
        await("the blueprint to be known", () -> given().get("/api/v1/blueprints/test/hello").statusCode() == 200);
        given().contentType("application/json").body("{\"tenant\":\"test\",\"name\":\"hello\",\"artifact\":\""
                + GREETING + "\",\"instances\":9}").post("/api/v1/scale").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("above max 4"));
        given().get("/api/v1/receipts?fromSeq=1&limit=1000").then().statusCode(200)
                .body("items[-1].verdict", equalTo("rejected")).body("items[-1].actor", equalTo("human:api"));
        given().contentType("application/json").body("{\"tenant\":\"test\",\"name\":\"hello\",\"artifact\":"
                + "\"io.aether.examples:greeting\",\"instances\":3}").post("/api/v1/scale").then().statusCode(200)
                .body("verdict", equalTo("applied")).body("instances", equalTo(3));
        await("the blueprint to say 3 instances", () -> Integer.valueOf(3).equals(
                given().get("/api/v1/blueprints/test/hello").then().extract().path("slices[0].instances")));
        given().get("/api/v1/receipts/verify").then().statusCode(200).body("ok", equalTo(true));
        given().contentType("application/json").body("{\"tenant\":\"test\",\"name\":\"nope\",\"artifact\":\""
                + GREETING + "\",\"instances\":1}").post("/api/v1/scale").then().statusCode(404);
        given().contentType("application/json").body("{\"tenant\":\"test\"}").post("/api/v1/scale").then()
                .statusCode(400).body("detail", containsString("missing name, artifact, instances"));
    }

    @Test
    void anOversizedRequestIs413AndAnUnknownRouteFallsThroughTo404() throws InterruptedException {
        awaitReady();
        put("hello", greetingBlueprint(1)).then().statusCode(201);
        await("the route to be known", () -> given().get("/t/greet").statusCode() != 404);
        given().contentType("application/json").body("{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}")
                .post("/t/greet").then().statusCode(413).contentType("application/problem+json");
        given().get("/t/no-such-route").then().statusCode(404);
    }
}
