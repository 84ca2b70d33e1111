package io.aether.node;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The KV's data quota seen through the REST API: a write beyond it is a 507 problem that says what to do. */
@QuarkusTest
@TestProfile(KvQuotaTest.SmallQuota.class)
class KvQuotaTest {

    /** The smallest quota a node accepts, so a handful of writes reach it; a data dir of its own. */
    public static final class SmallQuota implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                return Map.of("aether.kv.max-data-bytes", String.valueOf(1 << 20),
                        "aether.data-dir", Files.createTempDirectory("aether-quota").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void aWriteBeyondTheQuotaIs507AndADeleteMakesRoomAgain() throws InterruptedException {
        Await.await("the node to be ready", () -> given().get("/q/health/ready").statusCode() == 200);
        byte[] value = new byte[200 << 10];
        int written = 0;
        while (given().contentType("application/octet-stream").body(value).put("/api/v1/kv/quota/" + written)
                .statusCode() == 200) {
            written++;
            if (written > 10) {
                throw new AssertionError("1 MiB quota never refused a write of 200 KiB values");
            }
        }
        given().contentType("application/octet-stream").body(value).put("/api/v1/kv/quota/" + written)
                .then().statusCode(507).contentType("application/problem+json")
                .body("detail", containsString("QUOTA_EXCEEDED"))
                .body("detail", containsString("aether.kv.max-data-bytes"));
        given().delete("/api/v1/kv/quota/0").then().statusCode(200);
        given().contentType("application/octet-stream").body(value).put("/api/v1/kv/quota/" + written)
                .then().statusCode(200);
    }
}
