package io.aether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each command asks the node with the method, path and body the API expects. */
class CommandsSendTheRightRequestsTest extends FakeNodeTest {

    private final ObjectMapper json = new ObjectMapper();
    private void assertRequest(String method, String pathAndQuery) {
        FakeNode.Request request = node.onlyRequest();
        assertEquals(method + " " + pathAndQuery, request.method() + " " + request.pathAndQuery());
    }

    @Test
    void listCommandsGetTheirCollections() {
        node.json("GET", "/api/v1/status", 200, "{\"nodeId\":\"node-1\"}")
                .json("GET", "/api/v1/nodes", 200, "{\"items\":[]}")
                .json("GET", "/api/v1/slices", 200, "{\"items\":[]}")
                .json("GET", "/api/v1/endpoints", 200, "{\"items\":[]}")
                .json("GET", "/api/v1/blueprints", 200, "{\"items\":[]}");
        for (String command : new String[] {"status", "nodes", "slices", "endpoints", "blueprint list"}) {
            assertEquals(0, aether(command.split(" ")).exitCode(), command);
        }
        assertEquals(
                java.util.List.of("/api/v1/status", "/api/v1/nodes", "/api/v1/slices", "/api/v1/endpoints",
                        "/api/v1/blueprints"),
                node.requests().stream().map(FakeNode.Request::pathAndQuery).toList());
        assertTrue(node.requests().stream().allMatch(r -> r.method().equals("GET")));
    }

    @Test
    void blueprintApplyPutsTheFileUnderTheTenantAndNameItNames() throws IOException {
        node.json("PUT", "/api/v1/blueprints/shop/web", 200, "{\"revision\":7}");
        String blueprint = "{\"tenant\":\"shop\",\"name\":\"web\",\"slices\":[{\"artifact\":\"g:a:1\",\"instances\":2}]}";
        Path file = Files.writeString(home.resolve("web.json"), blueprint);

        CliRun run = aether("blueprint", "apply", "-f", file.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("PUT", "/api/v1/blueprints/shop/web");
        assertEquals(blueprint, node.onlyRequest().body());
        assertEquals("application/json", node.onlyRequest().contentType());
        assertEquals("blueprint shop/web applied at revision 7\n", run.out());
    }

    @Test
    void blueprintApplyOptionsOverrideTheFileAndAreRequiredWhenItNamesNothing() throws IOException {
        node.json("PUT", "/api/v1/blueprints/acme/api", 200, "{}");
        Path file = Files.writeString(home.resolve("bare.json"), "{\"slices\":[]}");

        CliRun missing = aether("blueprint", "apply", "-f", file.toString(), "--name", "api");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("--tenant is required: " + file + " has no \"tenant\" field"), missing.err());
        assertTrue(node.requests().isEmpty());

        CliRun run = aether("blueprint", "apply", "-f", file.toString(), "--tenant", "acme", "--name", "api");
        assertEquals(0, run.exitCode(), run.err());
        assertRequest("PUT", "/api/v1/blueprints/acme/api");
    }

    @Test
    void blueprintGetAndDeleteAddressOneBlueprint() {
        node.json("GET", "/api/v1/blueprints/shop/web", 200, "{\"slices\":[]}")
                .json("DELETE", "/api/v1/blueprints/shop/web", 204, "");

        assertEquals(0, aether("blueprint", "get", "shop/web").exitCode());
        CliRun deleted = aether("blueprint", "delete", "shop/web");

        assertEquals(0, deleted.exitCode(), deleted.err());
        assertEquals("blueprint shop/web deleted\n", deleted.out());
        assertEquals("DELETE /api/v1/blueprints/shop/web",
                node.requests().get(1).method() + " " + node.requests().get(1).pathAndQuery());
    }

    @Test
    void aBlueprintIdWithoutASlashIsAUsageError() {
        CliRun run = aether("blueprint", "get", "shopweb");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'shopweb' is not TENANT/NAME"), run.err());
    }

    @Test
    void scalePostsTenantNameArtifactAndInstances() throws IOException {
        node.json("POST", "/api/v1/scale", 200, "{}");

        CliRun run = aether("scale", "shop/web", "org.acme:cart:1.2", "5");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("POST", "/api/v1/scale");
        assertEquals(json.readTree("{\"tenant\":\"shop\",\"name\":\"web\",\"artifact\":\"org.acme:cart:1.2\",\"instances\":5}"),
                json.readTree(node.onlyRequest().body()));
        assertEquals("application/json", node.onlyRequest().contentType());
    }

    @Test
    void deployPostsOneSliceForTheBlueprint() throws IOException {
        node.json("POST", "/api/v1/deploy", 200, "{}");

        CliRun run = aether("deploy", "org.acme:cart:1.2", "--tenant", "shop", "--name", "web", "--instances", "3");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("POST", "/api/v1/deploy");
        assertEquals(json.readTree("{\"tenant\":\"shop\",\"name\":\"web\",\"artifact\":\"org.acme:cart:1.2\",\"instances\":3}"),
                json.readTree(node.onlyRequest().body()));
    }

    @Test
    void kvGetReadsTheKeyKeepingItsSlashesAndEncodingTheRest() {
        node.json("GET", "/api/v1/kv/config/shop/feature%20x", 200,
                "{\"key\":\"config/shop/feature x\",\"value\":\"on\",\"encoding\":\"utf-8\",\"createRevision\":3,"
                        + "\"modRevision\":9,\"version\":2}");

        CliRun run = aether("kv", "get", "config/shop/feature x");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("GET", "/api/v1/kv/config/shop/feature%20x?consistency=linearizable");
        assertEquals("""
                KEY                    VALUE  MOD_REVISION  VERSION
                config/shop/feature x  on     9             2
                """, run.out());
    }

    @Test
    void kvPutSendsTheValueOrTheFileBytesAsTheBody() throws IOException {
        node.json("PUT", "/api/v1/kv/greeting", 200, "{\"revision\":12}");
        Path file = Files.writeString(home.resolve("value.txt"), "from a file");

        CliRun inline = aether("kv", "put", "greeting", "hello world");
        CliRun fromFile = aether("kv", "put", "greeting", "-f", file.toString());

        assertEquals(0, inline.exitCode(), inline.err());
        assertEquals("revision 12\n", inline.out());
        assertEquals(0, fromFile.exitCode(), fromFile.err());
        assertEquals(java.util.List.of("hello world", "from a file"),
                node.requests().stream().map(FakeNode.Request::body).toList());
        assertEquals("application/octet-stream", node.requests().get(0).contentType());
    }

    @Test
    void kvPutWithBothOrNeitherValueAndFileIsAUsageError() {
        CliRun run = aether("kv", "put", "greeting");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("give either VALUE or -f FILE for key 'greeting'"), run.err());
    }

    @Test
    void kvRangeAsksForThePrefixAndLimitAndSaysWhenThereIsMore() {
        node.json("GET", "/api/v1/kv", 200, "{\"kvs\":[{\"key\":\"a/1\",\"value\":\"x\",\"modRevision\":4,"
                + "\"version\":1},{\"key\":\"a/2\",\"value\":\"/w==\",\"encoding\":\"base64\",\"modRevision\":5,"
                + "\"version\":3}],\"more\":true,\"revision\":5}");

        CliRun run = aether("kv", "range", "a/", "--limit", "2");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("GET", "/api/v1/kv?prefix=a/&limit=2&consistency=linearizable");
        assertEquals("""
                KEY  VALUE        MOD_REVISION  VERSION
                a/1  x            4             1
                a/2  base64:/w==  5             3
                """, run.out());
        assertEquals("more keys under 'a/' than --limit 2\n", run.err());
    }

    @Test
    void kvWatchPrintsEveryEventUntilTheStreamEnds() {
        node.events("/api/v1/kv-watch", """
                : a comment line is ignored
                data: {"revision":8,"type":"PUT","kv":{"key":"a/1","value":"x","encoding":"utf-8"}}

                data: {"revision":9,"type":"DELETE","kv":{"key":"a/1","value":"","encoding":"utf-8"}}

                """);

        CliRun run = aether("kv", "watch", "a/", "--from", "8");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("GET", "/api/v1/kv-watch?prefix=a/&fromRevision=8");
        assertEquals("8  PUT  a/1  x\n9  DELETE  a/1\n", run.out());
        assertEquals("the node ended the stream\n", run.err());
    }

    @Test
    void kvWatchInJsonModePrintsOneEventPerLine() throws IOException {
        node.events("/api/v1/kv-watch", "data: {\"revision\":8,\"type\":\"PUT\",\n"
                + "data: \"kv\":{\"key\":\"k\",\"value\":\"v\"}}\n\n");

        CliRun run = aether("kv", "watch", "--output", "json");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("GET", "/api/v1/kv-watch?prefix=&fromRevision=0");
        JsonNode event = json.readTree(run.out());
        assertEquals("k", event.path("kv").path("key").asText());
        assertEquals(1, run.out().lines().count());
    }

    @Test
    void eventsStreamsClusterEvents() {
        node.events("/api/v1/events", "event: cluster\ndata: {\"at\":\"2026-12-01T10:00:00Z\",\"type\":\"LeaderChanged\","
                + "\"leader\":\"node-2\"}\n\n");

        CliRun run = aether("events");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("GET", "/api/v1/events");
        assertEquals("2026-12-01T10:00:00Z  LeaderChanged  leader=node-2\n", run.out());
    }

    @Test
    void theTokenIsSentAsABearerFromTheOptionOrTheEnvironment() {
        node.json("GET", "/api/v1/status", 200, "{}");

        aether("status", "--token", "s3cret");
        CliRun.run(Map.of("AETHER_URL", node.url(), "AETHER_TOKEN", "from-env"), home, "status");

        assertEquals(java.util.List.of("Bearer s3cret", "Bearer from-env"),
                node.requests().stream().map(FakeNode.Request::authorization).toList());
    }
}
