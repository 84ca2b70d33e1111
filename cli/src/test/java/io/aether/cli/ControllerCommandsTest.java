package io.aether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The controller, its proposals and the receipt ledger, as an operator and a script use them. */
class ControllerCommandsTest extends FakeNodeTest {

    private static final String HASH_41 = "9f2c4e1a7b3d" + "0".repeat(52);
    private static final String HASH_42 = "ab12cd34ef56" + "1".repeat(52);
    private static final String CHANGE = "{\"blueprint\":\"shop/web\",\"artifact\":\"org.acme:cart:1.2\","
            + "\"fromInstances\":3,\"toInstances\":5,\"rule\":\"latency p99 412 ms > SLO 200 ms: +2\"}";
    private static final String RECEIPT_41 = "{\"seq\":41,\"time\":\"2026-12-01T10:00:01Z\",\"actor\":\"human:alice\","
            + "\"layer\":\"HUMAN\",\"inputsDigest\":\"77\",\"decision\":\"{}\",\"reasoning\":\"approved p-7\","
            + "\"verdict\":\"approved\",\"prevHash\":\"00\",\"hash\":\"" + HASH_41 + "\"}";
    private static final String RECEIPT_42 = "{\"seq\":42,\"time\":\"2026-12-01T10:00:02Z\",\"actor\":\"controller:L1\","
            + "\"layer\":\"L1\",\"inputsDigest\":\"78\",\"decision\":\"{}\",\"reasoning\":\"latency p99 412 ms > SLO 200 ms\","
            + "\"verdict\":\"applied\",\"prevHash\":\"" + HASH_41 + "\",\"hash\":\"" + HASH_42 + "\"}";

    private final ObjectMapper json = new ObjectMapper();

    private void assertRequest(String method, String pathAndQuery) {
        FakeNode.Request request = node.onlyRequest();
        assertEquals(method + " " + pathAndQuery, request.method() + " " + request.pathAndQuery());
    }

    @Test
    void controllerShowsModeLeaderLastDecisionAndGovernors() {
        node.json("GET", "/api/v1/controller", 200, "{\"mode\":\"apply\",\"leader\":\"node-0\",\"lastDecision\":"
                + "{\"at\":\"2026-12-01T10:00:00Z\",\"layer\":\"L1\",\"reasoning\":\"latency p99 412 ms > SLO 200 ms\","
                + "\"changes\":[" + CHANGE + "]},\"layers\":["
                + "{\"layer\":\"l1\",\"mode\":\"apply\",\"effectiveMode\":\"apply\",\"everyMs\":1000,\"timeoutMs\":2000,"
                + "\"lastDecision\":{\"at\":\"2026-12-01T10:00:00Z\",\"layer\":\"L1\",\"reasoning\":\"p99 412 ms\","
                + "\"changes\":[]},\"lastRun\":\"2026-12-01T10:00:00Z\",\"inFlight\":false,\"lastFailure\":null},"
                + "{\"layer\":\"l2\",\"mode\":\"propose\",\"effectiveMode\":\"propose\",\"everyMs\":0,"
                + "\"timeoutMs\":20000,\"lastDecision\":null,\"lastRun\":\"2026-12-01T09:59:40Z\",\"inFlight\":true,"
                + "\"lastFailure\":{\"at\":\"2026-12-01T09:59:00Z\",\"message\":\"L2 overran its 20000 ms timeout; "
                + "L1 stands\"}},{\"layer\":\"l3\",\"mode\":\"propose\",\"effectiveMode\":\"propose\",\"running\":false,"
                + "\"everyMs\":null,\"timeoutMs\":null,\"lastDecision\":null,\"lastRun\":null,\"inFlight\":false,"
                + "\"lastFailure\":null}],"
                + "\"governors\":{\"org.acme:cart:1.2\":\"INTERVENING\",\"org.acme:pay:0.9\":\"STABLE\"}}");

        CliRun run = aether("controller");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("GET", "/api/v1/controller");
        assertEquals("""
                mode        apply
                leader      node-0
                decided at  2026-12-01T10:00:00Z
                layer       L1
                reasoning   latency p99 412 ms > SLO 200 ms
                changes     shop/web org.acme:cart:1.2 3->5

                LAYER  MODE     EFFECTIVE  EVERY          IN FLIGHT  LAST RUN              LAST DECISION  LAST FAILURE
                l1     apply    apply      1 s            no         2026-12-01T10:00:00Z  p99 412 ms     -
                l2     propose  propose    on escalation  yes        2026-12-01T09:59:40Z  -              L2 overran its 20000 ms timeout; L1 stands
                l3     propose  propose    not running    no         -                     -              -

                ARTIFACT           STATE
                org.acme:cart:1.2  INTERVENING
                org.acme:pay:0.9   STABLE
                """, run.out());
    }

    @Test
    void controllerWithoutADecisionYetShowsDashes() {
        node.json("GET", "/api/v1/controller", 200,
                "{\"mode\":\"observe\",\"leader\":\"node-2\",\"lastDecision\":null,\"governors\":{}}");

        CliRun run = aether("controller");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("""
                mode        observe
                leader      node-2
                decided at  -
                layer       -
                reasoning   -
                changes     -

                LAYER  MODE  EFFECTIVE  EVERY  IN FLIGHT  LAST RUN  LAST DECISION  LAST FAILURE

                ARTIFACT  STATE
                """, run.out());
    }

    @Test
    void controllerInJsonModeIsTheNodesAnswer() throws IOException {
        String answer = "{\"mode\":\"propose\",\"leader\":\"node-0\",\"lastDecision\":null,\"governors\":{\"g:a:1\":\"BOOT\"}}";
        node.json("GET", "/api/v1/controller", 200, answer);

        CliRun run = aether("controller", "--output", "json");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(json.readTree(answer), json.readTree(run.out()));
    }

    @Test
    void controllerModePutsTheModeAndSaysWhatItIsNow() throws IOException {
        node.json("PUT", "/api/v1/controller/mode", 200, "{\"mode\":\"propose\"}");

        CliRun run = aether("controller", "mode", "propose");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("PUT", "/api/v1/controller/mode");
        assertEquals(json.readTree("{\"mode\":\"propose\"}"), json.readTree(node.onlyRequest().body()));
        assertEquals("application/json", node.onlyRequest().contentType());
        assertEquals("controller mode: propose\n", run.out());
    }

    @Test
    void controllerModeWithALayerPutsThatLayersMode() throws IOException {
        node.json("PUT", "/api/v1/controller/mode", 200, "{\"mode\":\"apply\",\"layer\":\"l2\"}");

        CliRun run = aether("controller", "mode", "apply", "--layer", "l2");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("PUT", "/api/v1/controller/mode");
        assertEquals(json.readTree("{\"mode\":\"apply\",\"layer\":\"l2\"}"), json.readTree(node.onlyRequest().body()));
        assertEquals("controller mode l2: apply\n", run.out());
    }

    @Test
    void anUnknownLayerIsAUsageErrorThatNeverReachesTheNode() {
        CliRun run = aether("controller", "mode", "apply", "--layer", "l9");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("l1, l2, l3"), run.err());
        assertTrue(node.requests().isEmpty());
    }

    @Test
    void anUnknownControllerModeIsAUsageErrorThatNeverReachesTheNode() {
        CliRun run = aether("controller", "mode", "bogus");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("observe, propose, apply"), run.err());
        assertTrue(node.requests().isEmpty());
    }

    @Test
    void proposalsListShowsEachProposalsChangesInOneCell() {
        node.json("GET", "/api/v1/proposals", 200, "{\"items\":[{\"id\":\"p-7\",\"created\":\"2026-12-01T10:00:00Z\","
                + "\"expires\":\"2026-12-01T10:15:00Z\",\"layer\":\"L2\",\"status\":\"pending\","
                + "\"reasoning\":\"diurnal ramp-up\",\"changes\":[" + CHANGE + ",{\"blueprint\":\"shop/web\","
                + "\"artifact\":\"org.acme:pay:0.9\",\"fromInstances\":2,\"toInstances\":1,\"rule\":\"idle\"}]}]}");

        CliRun run = aether("proposals", "list");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("GET", "/api/v1/proposals");
        assertEquals("""
                ID   LAYER  STATUS   CHANGES                                                          EXPIRES               REASONING
                p-7  L2     pending  shop/web org.acme:cart:1.2 3->5, shop/web org.acme:pay:0.9 2->1  2026-12-01T10:15:00Z  diurnal ramp-up
                """, run.out());
    }

    @Test
    void proposalsApprovePostsWithoutABodyAndPrintsEveryReceiptsVerdict() {
        node.json("POST", "/api/v1/proposals/p-7/approve", 200, "{\"receipts\":[" + RECEIPT_41 + "," + RECEIPT_42 + "]}");

        CliRun run = aether("proposals", "approve", "p-7");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("POST", "/api/v1/proposals/p-7/approve");
        assertEquals("", node.onlyRequest().body());
        assertEquals("""
                proposal p-7 approved
                receipt 41 approved: approved p-7
                receipt 42 applied: latency p99 412 ms > SLO 200 ms
                """, run.out());
    }

    @Test
    void proposalsRejectPostsTheReasonAndPrintsTheReceipt() throws IOException {
        node.json("POST", "/api/v1/proposals/p-7/reject", 200, "{\"seq\":43,\"verdict\":\"rejected\","
                + "\"reasoning\":\"too aggressive before the sale\"}");

        CliRun run = aether("proposals", "reject", "p-7", "--reason", "too aggressive before the sale");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("POST", "/api/v1/proposals/p-7/reject");
        assertEquals(json.readTree("{\"reason\":\"too aggressive before the sale\"}"),
                json.readTree(node.onlyRequest().body()));
        assertEquals("proposal p-7 rejected\nreceipt 43 rejected: too aggressive before the sale\n", run.out());
    }

    @Test
    void proposalsRejectWithoutAReasonSendsAnEmptyObject() throws IOException {
        node.json("POST", "/api/v1/proposals/p-7/reject", 200, "{\"seq\":43,\"verdict\":\"rejected\"}");

        CliRun run = aether("proposals", "reject", "p-7");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(json.readTree("{}"), json.readTree(node.onlyRequest().body()));
        assertEquals("proposal p-7 rejected\nreceipt 43 rejected\n", run.out());
    }

    @Test
    void approvingAnExpiredProposalIsAConflictWithExitCode4() {
        node.problem("POST", "/api/v1/proposals/p-7/approve", 409, "{\"status\":409,\"title\":\"Conflict\","
                + "\"detail\":\"proposal 'p-7' expired at 2026-12-01T10:15:00Z\"}");

        CliRun run = aether("proposals", "approve", "p-7");

        assertEquals(4, run.exitCode());
        assertEquals("error 409: proposal 'p-7' expired at 2026-12-01T10:15:00Z\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void receiptsAsksFromASequenceNumberWithALimitAndShortensHashes() {
        node.json("GET", "/api/v1/receipts", 200, "{\"items\":[" + RECEIPT_41 + "," + RECEIPT_42 + "]}");

        CliRun run = aether("receipts", "--from", "41", "--limit", "5");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("GET", "/api/v1/receipts?fromSeq=41&limit=5");
        assertEquals("""
                SEQ  TIME                  ACTOR          LAYER  VERDICT   HASH          REASONING
                41   2026-12-01T10:00:01Z  human:alice    HUMAN  approved  9f2c4e1a7b3d  approved p-7
                42   2026-12-01T10:00:02Z  controller:L1  L1     applied   ab12cd34ef56  latency p99 412 ms > SLO 200 ms
                """, run.out());
        assertEquals("", run.err());
    }

    @Test
    void receiptsThatFillTheLimitSayWhereTheNextPageStarts() throws IOException {
        node.json("GET", "/api/v1/receipts", 200, "{\"items\":[" + RECEIPT_41 + "," + RECEIPT_42 + "]}");

        CliRun table = aether("receipts", "--from", "41", "--limit", "2");
        CliRun defaults = aether("receipts", "--output", "json");

        assertEquals("showing --limit 2 receipts; the next ones start at --from 43\n", table.err());
        assertEquals("GET /api/v1/receipts?fromSeq=0&limit=100",
                node.requests().get(1).method() + " " + node.requests().get(1).pathAndQuery());
        assertEquals(json.readTree("{\"items\":[" + RECEIPT_41 + "," + RECEIPT_42 + "]}"), json.readTree(defaults.out()));
    }

    @Test
    void auditVerifyOfAnIntactChainExitsWith0() {
        node.json("GET", "/api/v1/receipts/verify", 200, "{\"ok\":true,\"receipts\":123,\"head\":\"" + HASH_42 + "\"}");

        CliRun run = aether("audit", "verify");

        assertEquals(0, run.exitCode(), run.err());
        assertRequest("GET", "/api/v1/receipts/verify");
        assertEquals("receipt chain intact: 123 receipts, head " + HASH_42 + "\n", run.out());
        assertEquals("", run.err());
    }

    @Test
    void auditVerifyOfABrokenChainSaysWhereOnStderrAndExitsWith7() {
        node.json("GET", "/api/v1/receipts/verify", 200, "{\"ok\":false,\"receipts\":123,"
                + "\"firstBrokenLink\":\"seq 12: hash mismatch (stored ab12.., computed cd34..)\"}");

        CliRun run = aether("audit", "verify");

        assertEquals(7, run.exitCode());
        assertEquals("", run.out());
        assertEquals("receipt chain BROKEN at seq 12: hash mismatch (stored ab12.., computed cd34..)\n", run.err());
    }

    @Test
    void auditVerifyInJsonModePrintsTheResultAndStillExitsWith7WhenBroken() throws IOException {
        String broken = "{\"ok\":false,\"receipts\":3,\"firstBrokenLink\":\"seq 2: prevHash does not match seq 1\"}";
        node.json("GET", "/api/v1/receipts/verify", 200, broken);

        CliRun run = aether("--output", "json", "audit", "verify");

        assertEquals(7, run.exitCode());
        assertEquals(json.readTree(broken), json.readTree(run.out()));
    }
}
