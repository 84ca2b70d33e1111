package io.aether.node;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class NodeApiTest {

    @Test
    void statusNamesTheNodeItsRoleVersionAndUptime() {
        given().when().get("/api/v1/status").then()
                .statusCode(200)
                .body("nodeId", equalTo("aether-test"))
                .body("role", equalTo("core"))
                .body("version", equalTo("0.1.0-SNAPSHOT"))
                .body("startedAt", notNullValue())
                .body("uptimeMs", greaterThanOrEqualTo(0));
    }

    @Test
    void healthGroupsAreUpOnceStarted() throws InterruptedException {
        for (String group : new String[] {"started", "live"}) {
            given().when().get("/q/health/" + group).then().statusCode(200).body("status", equalTo("UP"));
        }
        RuntimeApiTest.awaitReady(); // ready also waits for the cluster runtime, which starts after the replica
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks[0].data.runtimeStarted", equalTo(true));
    }

    @Test
    void prometheusMetricsAndOpenApiAreServed() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/status"));
    }

    @Test
    void unknownApiPathIsAProblemDocument() {
        given().when().get("/api/v1/no-such-thing").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("instance", equalTo("/api/v1/no-such-thing"));
    }
}
