package io.aether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scripts can tell failures apart by exit code, and people read one clear line on stderr. */
class ErrorsAndExitCodesTest extends FakeNodeTest {

    /** A local port nothing listens on: connecting to it is refused. */
    private static String refusedUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void aValidationProblemIsOneLinePlusIndentedFieldErrorsAndExitCode1() {
        node.problem("PUT", "/api/v1/blueprints/shop/web", 422, "{\"type\":\"about:blank\",\"title\":\"Unprocessable\","
                + "\"status\":422,\"detail\":\"blueprint 'shop/web': slices[0].instances: 0 is below min 1\","
                + "\"instance\":\"/api/v1/blueprints/shop/web\",\"errors\":["
                + "{\"field\":\"slices[0].instances\",\"message\":\"0 is below min 1\"},"
                + "{\"field\":\"slices[0].artifact\",\"message\":\"'cart' is not group:artifact:version\"}]}");
        Path file = home.resolve("web.json");
        writeQuietly(file, "{\"tenant\":\"shop\",\"name\":\"web\",\"slices\":[]}");

        CliRun run = aether("blueprint", "apply", "-f", file.toString());

        assertEquals(1, run.exitCode());
        assertEquals("""
                error 422: blueprint 'shop/web': slices[0].instances: 0 is below min 1
                  slices[0].instances: 0 is below min 1
                  slices[0].artifact: 'cart' is not group:artifact:version
                """, run.err());
        assertEquals("", run.out());
    }

    @Test
    void notFoundExitsWith3() {
        CliRun run = aether("kv", "get", "missing");

        assertEquals(3, run.exitCode());
        assertEquals("error 404: no fake answer for /api/v1/kv/missing\n", run.err());
    }

    @Test
    void conflictExitsWith4() {
        node.problem("POST", "/api/v1/deploy", 409, "{\"status\":409,\"title\":\"Conflict\","
                + "\"detail\":\"artifact 'org.acme:cart:1.2' belongs to blueprint 'shop/web'\"}");

        CliRun run = aether("deploy", "org.acme:cart:1.2", "--tenant", "shop", "--name", "api");

        assertEquals(4, run.exitCode());
        assertEquals("error 409: artifact 'org.acme:cart:1.2' belongs to blueprint 'shop/web'\n", run.err());
    }

    @Test
    void aServerErrorExitsWith6EvenWithoutAProblemBody() {
        node.json("GET", "/api/v1/nodes", 500, "");
        node.problem("GET", "/api/v1/slices", 503, "no quorum");

        CliRun empty = aether("nodes");
        CliRun text = aether("slices");

        assertEquals(6, empty.exitCode());
        assertEquals("error 500: (no details in the response)\n", empty.err());
        assertEquals(6, text.exitCode());
        assertEquals("error 503: no quorum\n", text.err());
    }

    @Test
    void anUnreachableNodeExitsWith5NamingIt() throws IOException {
        String refused = refusedUrl();

        CliRun run = CliRun.run(Map.of(), home, "status", "--url", refused);

        assertEquals(5, run.exitCode());
        assertTrue(run.err().startsWith("error: no node could be reached (" + refused.substring("http://".length())),
                run.err());
    }

    @Test
    void theNextNodeOfTheListAnswersWhenTheFirstIsDown() throws IOException {
        node.json("GET", "/api/v1/status", 200, "{\"nodeId\":\"node-2\"}");

        CliRun run = aether("--url", refusedUrl() + "," + node.url(), "status");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("nodeId  node-2\n", run.out());
        assertEquals("", run.err());
    }

    @Test
    void aNodeThatDoesNotAnswerWithinTheTimeoutExitsWith5() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.run(Map.of(), home, "status", "--timeout", "1",
                    "--url", "http://127.0.0.1:" + silent.getLocalPort());

            assertEquals(5, run.exitCode());
            assertTrue(run.err().contains("did not answer GET /api/v1/status within 1 s"), run.err());
        }
    }

    @Test
    void usageErrorsExitWith2() {
        CliRun unknown = aether("frobnicate");
        CliRun badUrl = aether("status", "--url", "ftp://node-1");
        CliRun groupAlone = aether("kv");

        assertEquals(2, unknown.exitCode());
        assertEquals(2, badUrl.exitCode());
        assertTrue(badUrl.err().contains("--url entry 'ftp://node-1' is not an http(s)://host:port URL"), badUrl.err());
        assertEquals(2, groupAlone.exitCode());
        assertTrue(groupAlone.err().contains("'aether kv' needs a subcommand: get, put, delete, range, watch"),
                groupAlone.err());
        assertTrue(node.requests().isEmpty());
    }

    @Test
    void aBareCommandWithoutATerminalPrintsUsageAndExitsWith2() {
        CliRun run = aether();

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Usage: aether"), run.err());
    }

    private static void writeQuietly(Path file, String text) {
        try {
            java.nio.file.Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
