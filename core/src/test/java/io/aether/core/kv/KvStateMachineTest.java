package io.aether.core.kv;

import static io.aether.core.kv.TestClient.bytes;
import static io.aether.core.kv.TestClient.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {

    private final KvStateMachine kv = new KvStateMachine();
    private final TestClient client = new TestClient(kv, 1);

    @Test
    void aRangeOverLargeValuesStopsBeforeItOutgrowsAFrameAndPagesOnFromItsLastKey() {
        String value = "v".repeat(512 << 10);
        for (int i = 0; i < 40; i++) { // 20 MiB of values under one prefix
            client.put(String.format("big/%02d", i), value);
        }
        KvResult.RangeResult first = kv.range("big/", 1000);
        assertTrue(first.more(), "stopped early");
        assertTrue(first.kvs().size() >= 1 && first.kvs().size() <= 16, "about 8 MiB: " + first.kvs().size());
        int seen = first.kvs().size();
        String after = first.kvs().get(seen - 1).key();
        KvResult.RangeResult page;
        do {
            page = kv.range("big/", after, 1000);
            seen += page.kvs().size();
            after = page.kvs().get(page.kvs().size() - 1).key();
        } while (page.more());
        assertEquals(40, seen, "paging reads every key once");
        client.put("huge/a", "v".repeat(1 << 20));
        assertEquals(1, kv.range("huge/", 10).kvs().size(), "a single key is returned whatever its size");
    }

    @Test
    void aWriteBeyondTheDataQuotaIsRefusedWhileDeletesAndShrinkingWritesStillApply() {
        long entry = KvLimits.entryBytes("k0", 100); // every key below has a 2-char name
        KvStateMachine quota = new KvStateMachine(KvLimits.DEFAULTS.withMaxDataBytes(3 * entry));
        TestClient c = new TestClient(quota, 1);
        String hundred = "v".repeat(100);
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(KvResult.Ok.class, c.put("k" + i, hundred));
        }
        KvResult refused = c.put("k3", hundred);
        KvResult.Error error = assertInstanceOf(KvResult.Error.class, refused);
        assertEquals(KvErrorCode.QUOTA_EXCEEDED, error.code());
        assertTrue(error.message().contains("quota") && error.message().contains("aether.kv.max-data-bytes"),
                error.message());
        assertEquals(3, quota.revision(), "nothing applied");
        assertEquals(Optional.empty(), quota.get("k3"));
        // Rewrites of existing keys (heartbeats, state) may use a sixteenth more, so they go on while new keys stop.
        assertInstanceOf(KvResult.Ok.class, c.put("k0", hundred + "x".repeat((int) (3 * entry / 16))));
        KvResult.Error pastSlack = assertInstanceOf(KvResult.Error.class, c.put("k0", hundred + "x".repeat(
                (int) (3 * entry / 16) + 1)), "beyond the sixteenth a rewrite is refused too");
        assertTrue(pastSlack.message().contains("sixteenth"), pastSlack.message());
        assertInstanceOf(KvResult.Ok.class, c.put("k0", "small"), "a write that shrinks the store applies");
        assertInstanceOf(KvResult.Ok.class, c.apply(new KvCommand.Delete("k1")));
        assertInstanceOf(KvResult.Ok.class, c.put("k3", hundred), "room again after the delete");

        // A txn is judged by its branch's net growth: all of it applies, or none.
        KvResult swap = c.apply(new KvCommand.Txn(List.of(), List.of(new KvCommand.Delete("k2"),
                new KvCommand.Put("k4", bytes(hundred))), List.of()));
        assertInstanceOf(KvResult.TxnResult.class, swap, "a delete makes room for the put in the same txn");
        long before = quota.revision();
        KvResult tooMuch = c.apply(new KvCommand.Txn(List.of(), List.of(new KvCommand.Put("k5", bytes("a")),
                new KvCommand.Put("k6", bytes(hundred))), List.of()));
        assertEquals(KvErrorCode.QUOTA_EXCEEDED, assertInstanceOf(KvResult.Error.class, tooMuch).code());
        assertEquals(before, quota.revision());
        assertEquals(Optional.empty(), quota.get("k5"), "no op of a refused txn applied");

        // The accounting is derived state: a restored replica refuses and admits exactly the same writes.
        KvStateMachine restored = KvStateMachine.restore(quota.snapshot(), quota.limits());
        TestClient r = new TestClient(restored, 2);
        assertInstanceOf(KvResult.Error.class, r.put("k7", "a"));
        assertInstanceOf(KvResult.Ok.class, r.put("k0", hundred), "growing k0 back fills the quota exactly");
    }

    @Test
    void emptyStoreIsAtRevisionZero() {
        assertEquals(0, kv.revision());
        assertEquals(Optional.empty(), kv.get("a"));
    }

    @Test
    void eachPutIsOneRevisionAndTracksCreateModAndVersion() {
        assertEquals(new KvResult.Ok(1, Optional.empty()), client.put("a", "1"));
        assertEquals(new KvResult.Ok(2, Optional.empty()), client.put("b", "1"));
        KeyValue firstA = kv.get("a").orElseThrow();
        assertEquals(new KvResult.Ok(3, Optional.of(firstA)), client.put("a", "2"));

        KeyValue a = kv.get("a").orElseThrow();
        assertEquals("2", text(a));
        assertEquals(1, a.createRevision());
        assertEquals(3, a.modRevision());
        assertEquals(2, a.version());
        assertEquals(3, kv.revision());
    }

    @Test
    void putOfTheSameValueStillMakesANewRevision() {
        client.put("a", "x");
        client.put("a", "x");
        assertEquals(2, kv.revision());
        assertEquals(2, kv.get("a").orElseThrow().version());
    }

    @Test
    void deleteOfAnExistingKeyIsARevisionAndReturnsThePreviousValue() {
        client.put("a", "1");
        KeyValue before = kv.get("a").orElseThrow();
        assertEquals(new KvResult.Ok(2, Optional.of(before)), client.apply(new KvCommand.Delete("a")));
        assertEquals(Optional.empty(), kv.get("a"));
        assertEquals(2, kv.revision());
    }

    @Test
    void deleteOfAMissingKeyChangesNothing() {
        client.put("a", "1");
        assertEquals(new KvResult.Ok(1, Optional.empty()), client.apply(new KvCommand.Delete("zzz")));
        assertEquals(1, kv.revision());
    }

    @Test
    void recreatingADeletedKeyStartsANewLife() {
        client.put("a", "1");
        client.put("a", "2");
        client.apply(new KvCommand.Delete("a"));
        client.put("a", "3");
        KeyValue a = kv.get("a").orElseThrow();
        assertEquals(4, a.createRevision());
        assertEquals(4, a.modRevision());
        assertEquals(1, a.version());
    }

    @Test
    void casWritesOnlyWhenTheModRevisionMatches() {
        client.put("a", "1");
        assertEquals(new KvResult.CasFailed(1, 1),
                client.apply(new KvCommand.Cas("a", 7, Optional.of(bytes("x")))));
        assertEquals("1", text(kv.get("a").orElseThrow()));
        assertEquals(1, kv.revision());

        KvResult ok = client.apply(new KvCommand.Cas("a", 1, Optional.of(bytes("2"))));
        assertInstanceOf(KvResult.Ok.class, ok);
        assertEquals(2, ((KvResult.Ok) ok).revision());
        assertEquals("2", text(kv.get("a").orElseThrow()));
    }

    @Test
    void casWithZeroCreatesOnlyAMissingKey() {
        assertInstanceOf(KvResult.Ok.class, client.apply(new KvCommand.Cas("lock", 0, Optional.of(bytes("me")))));
        assertEquals(new KvResult.CasFailed(1, 1),
                client.apply(new KvCommand.Cas("lock", 0, Optional.of(bytes("you")))));
        assertEquals("me", text(kv.get("lock").orElseThrow()));
    }

    @Test
    void casWithoutValueDeletesWhenTheModRevisionMatches() {
        client.put("a", "1");
        KeyValue before = kv.get("a").orElseThrow();
        assertEquals(new KvResult.Ok(2, Optional.of(before)), client.apply(new KvCommand.Cas("a", 1, Optional.empty())));
        assertEquals(Optional.empty(), kv.get("a"));
    }

    @Test
    void getThroughTheLogAnswersTheKeyAndRevision() {
        client.put("a", "1");
        assertEquals(new KvResult.GetResult(kv.get("a"), 1), client.apply(new KvCommand.Get("a")));
        assertEquals(new KvResult.GetResult(Optional.empty(), 1), client.apply(new KvCommand.Get("b")));
        assertEquals(1, kv.revision());
    }

    @Test
    void rangeReturnsPrefixMatchesInKeyOrderAndSaysWhenThereIsMore() {
        for (String key : List.of("app/c", "app/a", "apple", "app/b", "b", "ap")) {
            client.put(key, key);
        }
        KvResult.RangeResult firstPage = (KvResult.RangeResult) client.apply(new KvCommand.Range("app/", 2));
        assertEquals(List.of("app/a", "app/b"), firstPage.kvs().stream().map(KeyValue::key).toList());
        assertTrue(firstPage.more());
        assertEquals(6, firstPage.revision());

        KvResult.RangeResult rest = kv.range("app/", "app/b", 2);
        assertEquals(List.of("app/c"), rest.kvs().stream().map(KeyValue::key).toList());
        assertFalse(rest.more());

        assertEquals(List.of("ap", "app/a", "app/b", "app/c", "apple"),
                kv.range("ap", 10).kvs().stream().map(KeyValue::key).toList());
        assertEquals(6, kv.range("", 100).kvs().size());
    }

    @Test
    void rangeExactlyAtTheLimitHasNoMore() {
        client.put("p/1", "");
        client.put("p/2", "");
        assertFalse(kv.range("p/", 2).more());
    }

    @Test
    void deleteRangeRemovesThePrefixAsOneRevision() {
        client.put("x/1", "");
        client.put("x/2", "");
        client.put("y", "");
        assertEquals(new KvResult.Deleted(2, false, 4), client.apply(new KvCommand.DeleteRange("x/")));
        assertEquals(List.of("y"), kv.range("", 10).kvs().stream().map(KeyValue::key).toList());
        assertEquals(new KvResult.Deleted(0, false, 4), client.apply(new KvCommand.DeleteRange("x/")));
        assertEquals(4, kv.revision());
    }

    @Test
    void deleteRangeStopsAtTheRangeLimitAndSaysMore() {
        KvStateMachine small = new KvStateMachine(KvLimits.DEFAULTS.withMaxRangeLimit(2));
        TestClient c = new TestClient(small, 1);
        c.put("x/1", "");
        c.put("x/2", "");
        c.put("x/3", "");
        assertEquals(new KvResult.Deleted(2, true, 4), c.apply(new KvCommand.DeleteRange("x/")));
        assertEquals(new KvResult.Deleted(1, false, 5), c.apply(new KvCommand.DeleteRange("x/")));
    }

    @Test
    void noopChangesNothing() {
        client.put("a", "1");
        assertEquals(new KvResult.Ok(1, Optional.empty()), client.apply(new KvCommand.Noop()));
        assertEquals(1, kv.revision());
    }

    @Test
    void keyLongerThanTheLimitIsRefusedWithItsSizeAndTheLimit() {
        String key = "a/b" + "c".repeat(2045);
        KvResult result = client.apply(new KvCommand.Put(key, bytes("v")));
        assertEquals(new KvResult.Error(KvErrorCode.LIMIT_EXCEEDED,
                "key 'a/bccccccccccccccccccccccccccccc…' is 2048 bytes; the limit is 1024"), result);
        assertEquals(0, kv.revision());
    }

    @Test
    void keyLimitCountsUtf8BytesNotChars() {
        KvStateMachine small = new KvStateMachine(KvLimits.DEFAULTS.withMaxKeyBytes(4));
        TestClient c = new TestClient(small, 1);
        assertInstanceOf(KvResult.Ok.class, c.put("éé", "")); // 4 bytes
        assertEquals(new KvResult.Error(KvErrorCode.LIMIT_EXCEEDED, "key 'ééé' is 6 bytes; the limit is 4"),
                c.put("ééé", ""));
    }

    @Test
    void valueLargerThanTheLimitIsRefused() {
        KvResult result = client.apply(new KvCommand.Put("big", new byte[(1 << 20) + 1]));
        assertEquals(new KvResult.Error(KvErrorCode.LIMIT_EXCEEDED,
                "value of key 'big' is 1048577 bytes; the limit is 1048576"), result);
        assertInstanceOf(KvResult.Ok.class, client.apply(new KvCommand.Put("big", new byte[1 << 20])));
    }

    @Test
    void emptyKeyAndKeyWithNulAreInvalid() {
        assertEquals(new KvResult.Error(KvErrorCode.INVALID_KEY, "key must not be empty"), client.put("", "v"));
        assertEquals(new KvResult.Error(KvErrorCode.INVALID_KEY,
                "key 'a\\0b' contains NUL at char 1; keys are UTF-8 paths without NUL"), client.put("a\0b", "v"));
        assertEquals(0, kv.revision());
    }

    @Test
    void invalidUtf8KeyIsAMalformedCommand() {
        byte[] encoded = KvCodec.encodeCommand(new KvCommand.Put("ab", bytes("v")));
        encoded[5] = (byte) 0xff; // first key byte
        KvResult result = kv.apply(1, 1, encoded);
        assertInstanceOf(KvResult.Error.class, result);
        assertEquals(KvErrorCode.MALFORMED_COMMAND, ((KvResult.Error) result).code());
        assertTrue(((KvResult.Error) result).message().contains("key is not valid UTF-8"),
                ((KvResult.Error) result).message());
    }

    @Test
    void rangeLimitIsBoundedAndAtLeastOne() {
        assertEquals(new KvResult.Error(KvErrorCode.LIMIT_EXCEEDED,
                        "range limit 10001 is above the limit 10000; page with a start key instead"),
                client.apply(new KvCommand.Range("", 10_001)));
        assertEquals(new KvResult.Error(KvErrorCode.INVALID_ARGUMENT, "range limit 0 must be at least 1"),
                client.apply(new KvCommand.Range("", 0)));
        IllegalArgumentException local = assertThrows(IllegalArgumentException.class, () -> kv.range("", 0));
        assertEquals("range limit 0 must be at least 1", local.getMessage());
    }

    @Test
    void deleteRangeOfTheWholeKeyspaceIsRefused() {
        client.put("a", "");
        assertEquals(KvErrorCode.INVALID_KEY,
                ((KvResult.Error) client.apply(new KvCommand.DeleteRange(""))).code());
        assertTrue(kv.get("a").isPresent());
    }

    @Test
    void garbageCommandBytesApplyAsAnErrorAndChangeNothing() {
        KvResult result = kv.apply(1, 1, new byte[] {99, 1, 2});
        assertEquals(new KvResult.Error(KvErrorCode.MALFORMED_COMMAND,
                "command of client 1 seq 1 is malformed: command (3 bytes) at offset 0: unknown command tag 99"),
                result);
        assertEquals(0, kv.revision());
    }

    @Test
    void localGetRefusesAnInvalidKey() {
        assertThrows(IllegalArgumentException.class, () -> kv.get(""));
    }

    @Test
    void returnedValuesCannotChangeTheStore() {
        client.put("a", "1");
        kv.get("a").orElseThrow().value()[0] = 'X';
        assertArrayEquals(bytes("1"), kv.get("a").orElseThrow().value());
    }
}
