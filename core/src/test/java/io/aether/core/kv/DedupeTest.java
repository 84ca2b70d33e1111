package io.aether.core.kv;

import static io.aether.core.kv.TestClient.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DedupeTest {

    private static byte[] put(String key, String value) {
        return KvCodec.encodeCommand(new KvCommand.Put(key, bytes(value)));
    }

    @Test
    void aRetriedCommandReturnsTheFirstResultWithoutApplyingAgain() {
        KvStateMachine kv = new KvStateMachine();
        KvResult first = kv.apply(7, 1, put("a", "1"));
        kv.apply(8, 1, put("a", "2"));

        KvResult retry = kv.apply(7, 1, put("a", "1"));

        assertEquals(first, retry);
        assertEquals(2, kv.revision());
        assertEquals("2", TestClient.text(kv.get("a").orElseThrow()));
    }

    @Test
    void aRetriedFailedCasReturnsTheSameFailureEvenIfItWouldNowSucceed() {
        KvStateMachine kv = new KvStateMachine();
        byte[] cas = KvCodec.encodeCommand(new KvCommand.Cas("a", 1, Optional.of(bytes("x"))));
        KvResult first = kv.apply(7, 1, cas);
        kv.apply(8, 1, put("a", "now rev 1"));
        assertEquals(new KvResult.CasFailed(0, 0), first);
        assertEquals(first, kv.apply(7, 1, cas));
        assertEquals(1, kv.revision());
    }

    @Test
    void outOfOrderSeqsWithinTheWindowEachApplyOnce() {
        KvStateMachine kv = new KvStateMachine();
        kv.apply(7, 3, put("c", ""));
        kv.apply(7, 1, put("a", ""));
        kv.apply(7, 2, put("b", ""));
        kv.apply(7, 1, put("a", ""));
        kv.apply(7, 3, put("c", ""));
        assertEquals(3, kv.revision());
    }

    @Test
    void aSeqBelowTheWindowIsRefusedAsTooOld() {
        KvStateMachine kv = new KvStateMachine(KvLimits.DEFAULTS.withDedupe(100, 4, 1 << 20));
        for (int seq = 1; seq <= 10; seq++) {
            kv.apply(7, seq, put("k" + seq, ""));
        }
        assertInstanceOf(KvResult.Ok.class, kv.apply(7, 7, put("k7", ""))); // inside (6, 10]: cached
        assertEquals(new KvResult.Error(KvErrorCode.SEQ_TOO_OLD, "seq 6 of client 7 is below its dedupe window "
                        + "(highest applied seq 10, window 4), so whether it was applied is unknown; nothing was "
                        + "applied now: re-read the state before retrying"),
                kv.apply(7, 6, put("k6", "")));
        assertEquals(10, kv.revision());
    }

    @Test
    void theLeastRecentlyActiveClientIsEvictedAndAVeryOldRetryGetsSessionUnknown() {
        KvStateMachine kv = new KvStateMachine(KvLimits.DEFAULTS.withDedupe(2, 4, 1 << 20));
        for (int seq = 1; seq <= 5; seq++) {
            kv.apply(1, seq, put("one", Integer.toString(seq)));
        }
        kv.apply(2, 1, put("two", ""));
        kv.apply(3, 1, put("three", "")); // evicts client 1
        long revision = kv.revision();

        KvResult retry = kv.apply(1, 5, put("one", "5"));

        assertEquals(KvErrorCode.SESSION_UNKNOWN, ((KvResult.Error) retry).code());
        assertEquals(revision, kv.revision());
        assertInstanceOf(KvResult.Ok.class, kv.apply(4, 1, put("four", "")), "a new client starts at seq 1");
    }

    @Test
    void pastTheMemoryBoundTheOldestClientsResultsAreDroppedButStillNotReapplied() {
        int oneResult = KvCodec.encodeResult(new KvResult.Ok(1, Optional.empty())).length;
        KvStateMachine kv = new KvStateMachine(KvLimits.DEFAULTS.withDedupe(100, 4, 2L * oneResult));
        kv.apply(1, 1, put("a", ""));
        kv.apply(2, 1, put("b", ""));
        kv.apply(3, 1, put("c", "")); // over the bound: client 1's result is dropped

        KvResult retry = kv.apply(1, 1, put("a", ""));

        assertEquals(KvErrorCode.RESULT_DROPPED, ((KvResult.Error) retry).code());
        assertEquals(3, kv.revision());
        assertEquals(new KvResult.Ok(3, Optional.empty()), kv.apply(3, 1, put("c", "")));
    }

    @Test
    void aRetriedReadRunsAgainAndSeesTheCurrentState() {
        KvStateMachine kv = new KvStateMachine();
        byte[] get = KvCodec.encodeCommand(new KvCommand.Get("a"));
        assertEquals(new KvResult.GetResult(Optional.empty(), 0), kv.apply(7, 1, get));
        kv.apply(8, 1, put("a", "1"));
        assertEquals(new KvResult.GetResult(kv.get("a"), 1), kv.apply(7, 1, get));
    }

    @Test
    void aMalformedCommandIsDedupedLikeAnyOther() {
        KvStateMachine kv = new KvStateMachine();
        KvResult first = kv.apply(7, 1, new byte[] {1});
        assertEquals(first, kv.apply(7, 1, new byte[] {1}));
        assertEquals(KvErrorCode.MALFORMED_COMMAND, ((KvResult.Error) first).code());
    }

    @Test
    void seqMustBePositive() {
        KvStateMachine kv = new KvStateMachine();
        assertEquals(KvErrorCode.INVALID_ARGUMENT, ((KvResult.Error) kv.apply(7, 0, put("a", ""))).code());
        assertEquals(0, kv.revision());
    }

    @Test
    void theSameSeqFromDifferentClientsAreDifferentCommands() {
        KvStateMachine kv = new KvStateMachine();
        KvResult one = kv.apply(1, 1, put("a", ""));
        KvResult two = kv.apply(2, 1, put("a", ""));
        assertNotEquals(one, two);
        assertEquals(2, kv.revision());
    }
}
