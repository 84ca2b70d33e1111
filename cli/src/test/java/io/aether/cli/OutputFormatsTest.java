package io.aether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Tables for people, the node's JSON for scripts. */
class OutputFormatsTest extends FakeNodeTest {

    private static final String SLICES = "{\"items\":["
            + "{\"node\":\"node-1\",\"artifact\":\"org.acme:cart:1.2\",\"state\":\"ACTIVE\",\"instances\":2,\"reason\":null},"
            + "{\"node\":\"node-22\",\"artifact\":\"org.acme:pay:0.9\",\"state\":\"FAILED\",\"instances\":1,"
            + "\"reason\":\"class io.acme.Pay not found\\nin org.acme:pay:0.9\"}]}";

    @Test
    void slicesTableAlignsColumnsAndShowsWhyASliceFailed() {
        node.json("GET", "/api/v1/slices", 200, SLICES);

        CliRun run = aether("slices");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("""
                NODE     ARTIFACT           STATE   INSTANCES  REASON
                node-1   org.acme:cart:1.2  ACTIVE  2          -
                node-22  org.acme:pay:0.9   FAILED  1          class io.acme.Pay not found in org.acme:pay:0.9
                """, run.out());
    }

    @Test
    void jsonOutputIsTheNodesJsonPrettyPrinted() throws IOException {
        node.json("GET", "/api/v1/slices", 200, SLICES);

        CliRun run = aether("--output", "json", "slices");

        assertEquals(0, run.exitCode(), run.err());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(SLICES), json.readTree(run.out()));
        assertEquals(json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(SLICES)) + "\n", run.out());
    }

    @Test
    void globalOptionsWorkAfterTheSubcommandToo() throws IOException {
        node.json("GET", "/api/v1/status", 200, "{\"nodeId\":\"node-1\",\"uptimeMs\":5}");

        CliRun run = aether("status", "--output", "json");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(new ObjectMapper().readTree("{\"nodeId\":\"node-1\",\"uptimeMs\":5}"),
                new ObjectMapper().readTree(run.out()));
    }

    @Test
    void statusInTableModeListsTheFieldsAligned() {
        node.json("GET", "/api/v1/status", 200,
                "{\"nodeId\":\"node-1\",\"role\":\"core\",\"version\":\"0.1.0\",\"uptimeMs\":1234}");

        CliRun run = aether("status");

        assertEquals("""
                nodeId    node-1
                role      core
                version   0.1.0
                uptimeMs  1234
                """, run.out());
    }

    @Test
    void blueprintGetShowsItsSlicesAndRoutes() {
        node.json("GET", "/api/v1/blueprints/shop/web", 200, "{\"v\":1,\"slices\":[{\"artifact\":\"org.acme:cart:1.2\","
                + "\"instances\":3,\"min\":1,\"max\":10,\"slo\":{\"p99Ms\":200},"
                + "\"routes\":[{\"method\":\"POST\",\"path\":\"/cart\",\"entry\":\"add\"}]}]}");

        CliRun run = aether("blueprint", "get", "shop/web");

        assertEquals("""
                blueprint shop/web
                ARTIFACT           INSTANCES  MIN  MAX  P99_MS  ROUTES
                org.acme:cart:1.2  3          1    10   200     POST /cart -> add
                """, run.out());
    }
}
