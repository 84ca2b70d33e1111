package io.aether.core.kv;

import static io.aether.core.kv.TestClient.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    private static byte[] put(String key, String value) {
        return KvCodec.encodeCommand(new KvCommand.Put(key, bytes(value)));
    }

    @Test
    void restoreGivesTheSameKeysRevisionAndSnapshotBytes() {
        KvStateMachine kv = new KvStateMachine();
        kv.apply(1, 1, put("b", "2"));
        kv.apply(1, 2, put("a", "1"));
        kv.apply(2, 1, KvCodec.encodeCommand(new KvCommand.Delete("b")));
        kv.apply(2, 2, put("c", "3"));

        byte[] snapshot = kv.snapshot();
        KvStateMachine restored = KvStateMachine.restore(snapshot, KvLimits.DEFAULTS);

        assertEquals(kv.revision(), restored.revision());
        assertEquals(kv.range("", 100), restored.range("", 100));
        assertArrayEquals(snapshot, restored.snapshot());
    }

    @Test
    void aSnapshotCapturedLaterEncodesTheStateAtCaptureWhateverIsAppliedAfterIt() {
        KvStateMachine kv = new KvStateMachine();
        for (int i = 0; i < 200; i++) {
            kv.apply(1 + i % 5, 1 + i / 5, put("k" + (i % 40), "v" + i));
        }
        byte[] expected = kv.snapshot();
        var later = kv.snapshotLater();
        for (int i = 200; i < 400; i++) { // overwrites, deletes, new keys and new session entries after the capture
            long client = 1 + i % 7;
            long seq = 1 + i / 7 + 100;
            kv.apply(client, seq, i % 3 == 0 ? KvCodec.encodeCommand(new KvCommand.Delete("k" + (i % 40)))
                    : put("k" + (i % 60), "w" + i));
        }
        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        later.writeTo(written::writeBytes);
        assertArrayEquals(expected, written.toByteArray());
    }

    @Test
    void aSnapshotStreamedInManyPiecesRestoresEveryKeyAndItsChecksumHolds() {
        KvStateMachine kv = new KvStateMachine();
        String value = "v".repeat(1000);
        for (int i = 0; i < 3000; i++) { // ≈ 3 MB: the writer drains its 64 KiB buffer dozens of times
            kv.apply(1 + i % 3, 1 + i / 3, put(String.format("k%05d", i), value + i));
        }
        byte[] snapshot = kv.snapshot();
        KvStateMachine restored = KvStateMachine.restore(snapshot, KvLimits.DEFAULTS);
        assertEquals(3000, restored.range("k", 5000).kvs().size());
        assertArrayEquals(snapshot, restored.snapshot());
        snapshot[snapshot.length / 2] ^= 1;
        KvCodecException corrupt = assertThrows(KvCodecException.class,
                () -> KvStateMachine.restore(snapshot, KvLimits.DEFAULTS));
        assertTrue(corrupt.getMessage().contains("crc32c mismatch"), corrupt.getMessage());
    }

    @Test
    void exactlyOnceSurvivesRestore() {
        KvStateMachine kv = new KvStateMachine();
        KvResult first = kv.apply(7, 1, put("a", "1"));
        KvStateMachine restored = KvStateMachine.restore(kv.snapshot(), KvLimits.DEFAULTS);

        assertEquals(first, restored.apply(7, 1, put("a", "1")));
        assertEquals(1, restored.revision());
        assertEquals(new KvResult.Ok(2, restored.get("a")), restored.apply(7, 2, put("a", "2")));
    }

    @Test
    void revisionsContinueAfterRestore() {
        KvStateMachine kv = new KvStateMachine();
        kv.apply(1, 1, put("a", "1"));
        kv.apply(1, 2, put("a", "2"));
        KvStateMachine restored = KvStateMachine.restore(kv.snapshot(), KvLimits.DEFAULTS);
        restored.apply(1, 3, put("a", "3"));
        assertEquals(new KeyValue("a", bytes("3"), 1, 3, 3), restored.get("a").orElseThrow());
    }

    @Test
    void watchHistoryStartsAtTheSnapshotRevision() {
        KvStateMachine kv = new KvStateMachine();
        kv.apply(1, 1, put("a", "1"));
        kv.apply(1, 2, put("a", "2"));
        KvStateMachine restored = KvStateMachine.restore(kv.snapshot(), KvLimits.DEFAULTS);

        CompactedException e = assertThrows(CompactedException.class,
                () -> restored.watch("", 2, new RecordingListener()));
        assertEquals(3, e.oldestAvailableRevision());
        RecordingListener listener = new RecordingListener();
        restored.watch("", 3, listener);
        restored.apply(1, 3, put("a", "3"));
        assertEquals(List.of(3L), listener.revisions());
    }

    @Test
    void equalStatesReachedDifferentlyButWithTheSameHistoryHaveEqualBytes() {
        KvStateMachine one = new KvStateMachine();
        KvStateMachine two = new KvStateMachine();
        for (KvStateMachine kv : List.of(one, two)) {
            kv.apply(1, 1, put("x", "1"));
            kv.apply(1, 2, KvCodec.encodeCommand(new KvCommand.Cas("x", 1, Optional.empty())));
        }
        assertArrayEquals(one.snapshot(), two.snapshot());
    }

    @Test
    void aCorruptSnapshotIsRefusedWithTheOffset() {
        KvStateMachine kv = new KvStateMachine();
        kv.apply(1, 1, put("a", "1"));
        byte[] snapshot = kv.snapshot();
        snapshot[20] ^= 1;
        KvCodecException e = assertThrows(KvCodecException.class,
                () -> KvStateMachine.restore(snapshot, KvLimits.DEFAULTS));
        assertTrue(e.getMessage().contains("crc32c mismatch"), e.getMessage());
        assertTrue(e.getMessage().startsWith("snapshot (" + snapshot.length + " bytes) at offset "), e.getMessage());
    }

    @Test
    void bytesThatAreNotASnapshotAreRefused() {
        assertThrows(KvCodecException.class, () -> KvStateMachine.restore(new byte[] {1, 2}, KvLimits.DEFAULTS));
        assertThrows(KvCodecException.class, () -> KvStateMachine.restore(new byte[0], KvLimits.DEFAULTS));
    }
}
