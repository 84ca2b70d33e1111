package io.aether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Worker nodes through the node's provisioner, as an operator and a script use them. */
class WorkersCommandsTest extends FakeNodeTest {

    private void assertRequest(String method, String pathAndQuery) {
        FakeNode.Request request = node.onlyRequest();
        assertEquals(method + " " + pathAndQuery, request.method() + " " + request.pathAndQuery());
    }

    @Test
    void workersListShowsEachWorkerWithItsStateProcessAndLiveness() {
        node.json("GET", "/api/v1/workers", 200, "{\"provisioner\":\"local\",\"maxWorkers\":4,\"items\":["
                + "{\"id\":\"n1-worker-1\",\"state\":\"running\",\"pid\":4242,\"httpPort\":41001,\"live\":true}]}");

        CliRun run = aether("workers", "list");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("GET", "/api/v1/workers");
        assertEquals("""
                NODE         STATE    PID   HTTP   LIVE
                n1-worker-1  running  4242  41001  true
                """, run.out());
    }

    @Test
    void workersAddPostsAndPrintsTheNewNodeId() {
        node.json("POST", "/api/v1/workers", 202, "{\"id\":\"n1-worker-2\",\"status\":\"started\"}");

        CliRun run = aether("workers", "add");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("POST", "/api/v1/workers");
        assertEquals("worker n1-worker-2 started; it joins the cluster shortly\n", run.out());
    }

    @Test
    void workersRemoveDeletesTheWorkerById() {
        node.json("DELETE", "/api/v1/workers/n1-worker-2", 200, "{\"id\":\"n1-worker-2\",\"status\":\"removed\"}");

        CliRun run = aether("workers", "remove", "n1-worker-2");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("DELETE", "/api/v1/workers/n1-worker-2");
        assertEquals("worker n1-worker-2 drained and stopped\n", run.out());
    }

    @Test
    void addingWithoutAProvisionerIsAConflictExit() {
        node.problem("POST", "/api/v1/workers", 409, "{\"status\":409,\"title\":\"No Provisioner\",\"detail\":"
                + "\"no worker provisioner is configured on node 'n1' (aether.provisioner=none)\"}");

        CliRun run = aether("workers", "add");

        assertEquals(Exit.CONFLICT, run.exitCode());
        assertEquals("error 409: no worker provisioner is configured on node 'n1' (aether.provisioner=none)\n",
                run.err());
    }

    @Test
    void workersAloneIsAUsageErrorNamingTheSubcommands() {
        CliRun run = aether("workers");

        assertEquals(Exit.USAGE, run.exitCode());
    }
}
