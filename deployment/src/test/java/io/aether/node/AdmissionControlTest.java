package io.aether.node;

import static io.aether.node.Await.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admission control in the router of one in-process node: the governor state stored at {@code governors/{artifact}}
 * (written here through the KV API, as the leader's control loop writes it) decides whether a routed call reaches
 * the slice or is shed with 503 + Retry-After, slice by slice and by the slice's priority.
 */
@QuarkusTest
class AdmissionControlTest {

    private static final String V = "0.1.0-SNAPSHOT";
    private static final String GREETING = "io.aether.examples:greeting:" + V;
    private static final String VERSIONED = "io.aether.examples:versioned:1.0.0";

    @BeforeEach
    void deployAGreetingAndALowPrioritySlice() throws InterruptedException {
        await("the node to be ready", () -> given().get("/q/health/ready").statusCode() == 200);
        given().contentType("application/json").body("{\"mode\":\"observe\"}").put("/api/v1/controller/mode")
                .then().statusCode(200);
        given().contentType("application/json").body("{\"v\":1,\"slices\":["
                + "{\"artifact\":\"" + GREETING + "\",\"instances\":1,\"min\":0,\"max\":2,"
                + "\"routes\":[{\"method\":\"POST\",\"path\":\"/adm/greet\",\"entry\":\"greet\"}]},"
                + "{\"artifact\":\"" + VERSIONED + "\",\"instances\":1,\"min\":0,\"max\":2,\"priority\":\"low\","
                + "\"routes\":[{\"method\":\"GET\",\"path\":\"/adm/version\",\"entry\":\"handle\"}]}]}")
                .put("/api/v1/blueprints/test/admission").then().statusCode(201);
        await("both slices to serve", () -> greet().statusCode() == 200 && version().statusCode() == 200);
        // The leader's governors boot to stable within seconds of the instances reporting and store that once;
        // waiting for it keeps the leader from overwriting the states this test stores (it writes transitions only).
        await("the leader's governors to be stable", () -> leaderGovernorStable(GREETING)
                && leaderGovernorStable(VERSIONED));
    }

    @AfterEach
    void removeBlueprintAndGovernors() {
        given().delete("/api/v1/blueprints/test/admission");
        given().delete("/api/v1/kv/governors/" + GREETING);
        given().delete("/api/v1/kv/governors/" + VERSIONED);
    }

    private static Response greet() {
        return given().contentType("application/json").body("{\"name\":\"Ada\"}").post("/adm/greet");
    }

    private static Response version() {
        return given().get("/adm/version");
    }

    private static boolean leaderGovernorStable(String artifact) {
        Object state = given().get("/api/v1/controller").then().extract().path("governors.'" + artifact + "'");
        return state != null && state.toString().equalsIgnoreCase("stable");
    }

    private static void storeGovernor(String artifact, String state) {
        given().body("{\"v\":1,\"artifact\":\"" + artifact + "\",\"state\":\"" + state + "\",\"from\":\"stable\","
                + "\"why\":\"test: errors 1.0 vs SLO 0.01\",\"since\":\"2026-12-01T10:00:00Z\"}")
                .put("/api/v1/kv/governors/" + artifact).then().statusCode(200);
    }


    private static double rejectedCount(String artifact, String state) {
        String prefix = "aether_router_admission_rejected_total{artifact=\"" + artifact + "\",state=\"" + state + "\"";
        for (String line : given().get("/q/metrics").asString().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    void aRefusingSliceAnswers503WithRetryAfterWhileOtherSlicesServeAndStableRestoresIt() throws Exception {
        double before = rejectedCount(GREETING, "refusing");
        storeGovernor(GREETING, "refusing");
        await("greeting to be refused", () -> greet().statusCode() == 503);
        greet().then().statusCode(503).header("Retry-After", "2").contentType("application/problem+json")
                .body("artifact", equalTo(GREETING)).body("governor", equalTo("refusing"))
                .body("since", equalTo("2026-12-01T10:00:00Z"))
                .body("detail", containsString("slice '" + GREETING + "' sheds all calls: its governor has been"
                        + " refusing since 2026-12-01T10:00:00Z"));
        version().then().statusCode(200).body("version", equalTo("1.0.0"));
        if (rejectedCount(GREETING, "refusing") < before + 2) {
            throw new AssertionError("the admission counter did not count the refused calls: "
                    + rejectedCount(GREETING, "refusing") + " after " + before);
        }
        storeGovernor(GREETING, "stable");
        await("greeting to serve again", () -> greet().statusCode() == 200);
    }

    @Test
    void deletingTheGovernorKeyAdmitsAgain() throws Exception {
        storeGovernor(GREETING, "refusing");
        await("greeting to be refused", () -> greet().statusCode() == 503);
        given().delete("/api/v1/kv/governors/" + GREETING).then().statusCode(200);
        await("greeting to serve again", () -> greet().statusCode() == 200);
    }

    @Test
    void aDegradedGovernorShedsALowPrioritySliceButNotANormalOne() throws Exception {
        storeGovernor(VERSIONED, "degraded");
        storeGovernor(GREETING, "degraded");
        await("the low-priority slice to be shed", () -> version().statusCode() == 503);
        version().then().statusCode(503).header("Retry-After", "2").body("governor", equalTo("degraded"))
                .body("priority", equalTo("low")).body("detail", containsString("sheds low-priority calls"));
        greet().then().statusCode(200).body("message", containsString("Ada"));
    }

    @Test
    void aMalformedGovernorValueLeavesRoutingAsItWas() throws Exception {
        given().body("{\"v\":1,\"state\":\"on-fire\"}").put("/api/v1/kv/governors/" + GREETING).then()
                .statusCode(200);
        storeGovernor(VERSIONED, "refusing"); // written after the bad value: once it is seen, so was the bad one
        await("the later value to be seen", () -> version().statusCode() == 503);
        greet().then().statusCode(200);
    }
}
