package io.aether.core.kv;

import static io.aether.core.kv.TestClient.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatchTest {

    private final KvStateMachine kv = new KvStateMachine();
    private final TestClient client = new TestClient(kv, 1);

    @Test
    void aLiveWatchSeesEachChangeUnderItsPrefixOnceInOrder() {
        RecordingListener listener = new RecordingListener();
        kv.watch("app/", 0, listener);

        client.put("app/a", "1");
        client.put("other", "x");
        client.put("app/a", "2");
        client.apply(new KvCommand.Delete("app/a"));

        assertEquals(List.of(1L, 3L, 4L), listener.revisions());
        WatchEvent update = listener.deliveries.get(1).events().get(0);
        assertEquals(WatchEvent.Type.PUT, update.type());
        assertEquals(new KeyValue("app/a", bytes("2"), 1, 3, 2), update.kv());
        assertEquals(Optional.of(new KeyValue("app/a", bytes("1"), 1, 1, 1)), update.prevKv());
        WatchEvent delete = listener.deliveries.get(2).events().get(0);
        assertEquals(WatchEvent.Type.DELETE, delete.type());
        assertEquals(new KeyValue("app/a", new byte[0], 0, 4, 0), delete.kv());
        assertEquals(Optional.of(new KeyValue("app/a", bytes("2"), 1, 3, 2)), delete.prevKv());
    }

    @Test
    void aTxnIsDeliveredAsOneRevisionWithOnlyTheMatchingEvents() {
        RecordingListener listener = new RecordingListener();
        kv.watch("a/", 0, listener);
        client.apply(new KvCommand.Txn(List.of(), List.of(new KvCommand.Put("a/1", bytes("")),
                new KvCommand.Put("b/1", bytes("")), new KvCommand.Put("a/2", bytes(""))), List.of()));
        assertEquals(List.of(1L), listener.revisions());
        assertEquals(List.of("a/1", "a/2"), listener.keys());
    }

    @Test
    void aWatchFromThePastReplaysHistoryThenContinuesLiveWithoutGapOrRepeat() {
        for (int i = 1; i <= 5; i++) {
            client.put("k" + i, "");
        }
        RecordingListener listener = new RecordingListener();
        kv.watch("", 3, listener);
        assertEquals(List.of(3L, 4L, 5L), listener.revisions(), "history is delivered within watch()");

        client.put("k6", "");
        assertEquals(List.of(3L, 4L, 5L, 6L), listener.revisions());
    }

    @Test
    void aWatchFromTheFutureStartsAtThatRevision() {
        RecordingListener listener = new RecordingListener();
        kv.watch("", 3, listener);
        for (int i = 1; i <= 4; i++) {
            client.put("k" + i, "");
        }
        assertEquals(List.of(3L, 4L), listener.revisions());
    }

    @Test
    void aWatchOlderThanTheHistoryIsCompacted() {
        KvStateMachine small = new KvStateMachine(KvLimits.DEFAULTS.withHistory(3, 1 << 20));
        TestClient c = new TestClient(small, 1);
        for (int i = 1; i <= 10; i++) {
            c.put("k" + i, "");
        }
        CompactedException e = assertThrows(CompactedException.class,
                () -> small.watch("", 7, new RecordingListener()));
        assertEquals("revision 7 was compacted; the oldest available is 8; re-read with range and watch from the "
                + "range's revision + 1", e.getMessage());
        assertEquals(8, e.oldestAvailableRevision());
        RecordingListener listener = new RecordingListener();
        small.watch("", 8, listener);
        assertEquals(List.of(8L, 9L, 10L), listener.revisions());
    }

    @Test
    void historyIsAlsoBoundedByBytes() {
        KvStateMachine small = new KvStateMachine(KvLimits.DEFAULTS.withHistory(1000, 10_000));
        TestClient c = new TestClient(small, 1);
        for (int i = 1; i <= 10; i++) {
            c.apply(new KvCommand.Put("k" + i, new byte[4000]));
        }
        assertTrue(small.oldestWatchableRevision() >= 8, "kept " + small.oldestWatchableRevision());
        assertThrows(CompactedException.class, () -> small.watch("", 1, new RecordingListener()));
    }

    @Test
    void aCancelledWatchReceivesNothingMore() {
        RecordingListener listener = new RecordingListener();
        Watch watch = kv.watch("", 0, listener);
        client.put("a", "");
        watch.cancel();
        watch.cancel();
        client.put("b", "");
        assertEquals(List.of(1L), listener.revisions());
        assertTrue(watch.isCancelled());
    }

    @Test
    void aListenerMayCancelItsOwnWatchWhileReceiving() {
        Watch[] self = new Watch[1];
        RecordingListener other = new RecordingListener();
        int[] calls = {0};
        self[0] = kv.watch("", 0, (revision, events) -> {
            calls[0]++;
            self[0].cancel();
        });
        kv.watch("", 0, other);
        client.put("a", "");
        client.put("b", "");
        assertEquals(1, calls[0]);
        assertEquals(List.of(1L, 2L), other.revisions());
    }

    @Test
    void aThrowingListenerIsCancelledAndToldWhyWhileOthersKeepReceiving() {
        RecordingListener healthy = new RecordingListener();
        RuntimeException boom = new RuntimeException("boom");
        RecordingListener broken = new RecordingListener() {
            @Override
            public void onRevision(long revision, List<WatchEvent> events) {
                throw boom;
            }
        };
        Watch brokenWatch = kv.watch("", 0, broken);
        kv.watch("", 0, healthy);

        assertInstanceOf(KvResult.Ok.class, client.put("a", ""));
        client.put("b", "");

        assertTrue(brokenWatch.isCancelled());
        assertSame(boom, broken.cancelledBy);
        assertEquals(List.of(1L, 2L), healthy.revisions());
    }

    @Test
    void listenersMustNotCallBackIntoTheStateMachine() {
        IllegalStateException[] seen = new IllegalStateException[1];
        kv.watch("", 0, (revision, events) -> seen[0] = assertThrows(IllegalStateException.class,
                () -> kv.apply(9, 1, KvCodec.encodeCommand(new KvCommand.Noop()))));
        client.put("a", "");
        assertTrue(seen[0].getMessage().startsWith("apply called from a watch listener"), seen[0].getMessage());
    }

    @Test
    void theNumberOfWatchesIsBounded() {
        KvStateMachine small = new KvStateMachine(KvLimits.DEFAULTS.withMaxWatches(2));
        Watch first = small.watch("a", 0, new RecordingListener());
        small.watch("b", 0, new RecordingListener());
        WatchLimitException e = assertThrows(WatchLimitException.class,
                () -> small.watch("c", 0, new RecordingListener()));
        assertEquals("cannot watch 'c': 2 watches are active and the limit is 2; cancel unused watches",
                e.getMessage());
        first.cancel();
        small.watch("c", 0, new RecordingListener());
    }

    @Test
    void deleteRangeIsOneRevisionWithADeleteEventPerKey() {
        client.put("x/1", "");
        client.put("x/2", "");
        RecordingListener listener = new RecordingListener();
        kv.watch("x/", 0, listener);
        client.apply(new KvCommand.DeleteRange("x/"));
        assertEquals(List.of(3L), listener.revisions());
        assertEquals(List.of(WatchEvent.Type.DELETE, WatchEvent.Type.DELETE),
                listener.deliveries.get(0).events().stream().map(WatchEvent::type).toList());
    }

    @Test
    void commandsThatChangeNothingAreNotDelivered() {
        RecordingListener listener = new RecordingListener();
        kv.watch("", 0, listener);
        client.apply(new KvCommand.Delete("missing"));
        client.apply(new KvCommand.Get("missing"));
        client.apply(new KvCommand.Cas("missing", 5, Optional.of(bytes(""))));
        assertEquals(List.of(), listener.revisions());
    }

    @Test
    void invalidWatchArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> kv.watch("", -1, new RecordingListener()));
        assertThrows(IllegalArgumentException.class, () -> kv.watch("a\0", 0, new RecordingListener()));
    }
}
