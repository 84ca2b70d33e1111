package io.aether.core.kv;

import static io.aether.core.kv.KvCommand.Compare.Operator.EQUAL;
import static io.aether.core.kv.KvCommand.Compare.Operator.GREATER;
import static io.aether.core.kv.KvCommand.Compare.Operator.LESS;
import static io.aether.core.kv.KvCommand.Compare.Operator.NOT_EQUAL;
import static io.aether.core.kv.TestClient.bytes;
import static io.aether.core.kv.TestClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aether.core.kv.KvCommand.Compare;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TxnTest {

    private final KvStateMachine kv = new KvStateMachine();
    private final TestClient client = new TestClient(kv, 1);

    private KvResult.TxnResult txn(List<Compare> compares, List<KvCommand.Op> success, List<KvCommand.Op> failure) {
        return (KvResult.TxnResult) client.apply(new KvCommand.Txn(compares, success, failure));
    }

    @Test
    void successBranchWritesAllKeysAsOneRevision() {
        client.put("a", "0");
        KvResult.TxnResult result = txn(List.of(Compare.value("a", EQUAL, bytes("0"))),
                List.of(new KvCommand.Put("a", bytes("1")), new KvCommand.Put("b", bytes("1"))), List.of());
        assertTrue(result.succeeded());
        assertEquals(2, result.revision());
        assertEquals(2, kv.revision());
        assertEquals(2, kv.get("a").orElseThrow().modRevision());
        assertEquals(2, kv.get("b").orElseThrow().modRevision());
    }

    @Test
    void failedComparesRunTheFailureBranchAndLeaveTheSuccessBranchUnapplied() {
        client.put("a", "0");
        KvResult.TxnResult result = txn(List.of(Compare.modRevision("a", EQUAL, 99)),
                List.of(new KvCommand.Put("b", bytes("yes"))), List.of(new KvCommand.Get("a")));
        assertFalse(result.succeeded());
        assertEquals(List.of(new KvResult.GetResult(kv.get("a"), 1)), result.results());
        assertEquals(Optional.empty(), kv.get("b"));
        assertEquals(1, kv.revision());
    }

    @Test
    void failedComparesWithEmptyFailureBranchDoNotBumpTheRevision() {
        KvResult.TxnResult result = txn(List.of(Compare.version("a", GREATER, 0)),
                List.of(new KvCommand.Put("a", bytes("1"))), List.of());
        assertEquals(new KvResult.TxnResult(false, 0, List.of()), result);
        assertEquals(0, kv.revision());
    }

    @Test
    void allComparesMustHold() {
        client.put("a", "5");
        client.put("b", "5");
        KvResult.TxnResult result = txn(List.of(Compare.version("a", EQUAL, 1), Compare.version("b", EQUAL, 2)),
                List.of(new KvCommand.Delete("a")), List.of());
        assertFalse(result.succeeded());
        assertTrue(kv.get("a").isPresent());
    }

    @Test
    void comparesOnAMissingKeySeeZeroRevisionsAndNoValue() {
        assertTrue(txn(List.of(Compare.createRevision("nope", EQUAL, 0), Compare.modRevision("nope", EQUAL, 0),
                Compare.version("nope", LESS, 1)), List.of(), List.of()).succeeded());
        assertFalse(txn(List.of(Compare.value("nope", NOT_EQUAL, bytes("x"))), List.of(), List.of()).succeeded());
    }

    @Test
    void valueComparesAreUnsignedLexicographic() {
        client.apply(new KvCommand.Put("a", new byte[] {(byte) 0x80}));
        assertTrue(txn(List.of(Compare.value("a", GREATER, new byte[] {0x7f})), List.of(), List.of()).succeeded());
        assertTrue(txn(List.of(Compare.value("a", LESS, new byte[] {(byte) 0x80, 0})), List.of(), List.of())
                .succeeded());
        assertTrue(txn(List.of(Compare.value("a", NOT_EQUAL, new byte[0])), List.of(), List.of()).succeeded());
    }

    @Test
    void createRevisionCompareDistinguishesARecreatedKey() {
        client.put("a", "1");
        client.apply(new KvCommand.Delete("a"));
        client.put("a", "2");
        assertFalse(txn(List.of(Compare.createRevision("a", EQUAL, 1)), List.of(), List.of()).succeeded());
        assertTrue(txn(List.of(Compare.createRevision("a", EQUAL, 3)), List.of(), List.of()).succeeded());
    }

    @Test
    void laterOpsSeeEarlierWritesOfTheSameBranch() {
        client.put("k/old", "x");
        KvResult.TxnResult result = txn(List.of(), List.of(new KvCommand.Put("k/new", bytes("y")),
                new KvCommand.Delete("k/old"), new KvCommand.Range("k/", 10), new KvCommand.Get("k/old")), List.of());
        KeyValue created = kv.get("k/new").orElseThrow();
        assertEquals(List.of(
                new KvResult.Ok(2, Optional.empty()),
                new KvResult.Ok(2, Optional.of(new KeyValue("k/old", bytes("x"), 1, 1, 1))),
                new KvResult.RangeResult(List.of(created), false, 2),
                new KvResult.GetResult(Optional.empty(), 2)), result.results());
        assertEquals(2, kv.revision());
    }

    @Test
    void anInvalidOpRefusesTheWholeTxnBeforeAnythingIsApplied() {
        KvResult result = client.apply(new KvCommand.Txn(List.of(),
                List.of(new KvCommand.Put("ok", bytes("1")), new KvCommand.Put("", bytes("2"))), List.of()));
        assertEquals(new KvResult.Error(KvErrorCode.INVALID_KEY, "key must not be empty"), result);
        assertEquals(Optional.empty(), kv.get("ok"));
        assertEquals(0, kv.revision());
    }

    @Test
    void anInvalidOpInTheBranchThatWouldNotRunStillRefusesTheTxn() {
        KvResult result = client.apply(new KvCommand.Txn(List.of(), List.of(new KvCommand.Put("ok", bytes("1"))),
                List.of(new KvCommand.Put("big", new byte[(1 << 20) + 1]))));
        assertEquals(KvErrorCode.LIMIT_EXCEEDED, ((KvResult.Error) result).code());
        assertEquals(0, kv.revision());
    }

    @Test
    void writingAKeyTwiceInOneBranchIsRefused() {
        KvResult result = client.apply(new KvCommand.Txn(List.of(),
                List.of(new KvCommand.Put("a", bytes("1")), new KvCommand.Delete("a")), List.of()));
        assertEquals(new KvResult.Error(KvErrorCode.INVALID_ARGUMENT,
                "txn success branch writes key 'a' more than once; write each key at most once per txn"), result);
    }

    @Test
    void txnWithMoreOpsThanTheLimitIsRefused() {
        List<KvCommand.Op> ops = Collections.nCopies(129, new KvCommand.Get("a"));
        assertEquals(new KvResult.Error(KvErrorCode.LIMIT_EXCEEDED, "txn success branch ops: 129; the limit is 128"),
                client.apply(new KvCommand.Txn(List.of(), ops, List.of())));
    }

    @Test
    void failureBranchMayWrite() {
        KvResult.TxnResult result = txn(List.of(Compare.version("lock", GREATER, 0)), List.of(),
                List.of(new KvCommand.Put("lock", bytes("mine"))));
        assertFalse(result.succeeded());
        assertEquals(1, result.revision());
        assertEquals("mine", text(kv.get("lock").orElseThrow()));
    }
}
