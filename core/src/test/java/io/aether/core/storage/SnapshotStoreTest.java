package io.aether.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {

    @TempDir
    Path dir;

    private static byte[] data(int bytes, long seed) {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        return data;
    }

    private Path fileOf(long index) {
        return dir.resolve(String.format("snapshot-%020d.snap", index));
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aStoreWithoutSnapshotsHasNoLatest() throws IOException {
        assertEquals(Optional.empty(), SnapshotStore.open(dir.resolve("snapshots")).latest());
    }

    @Test
    void aStreamedSaveComesBackWholeAndAPeerCanReadAnyRangeOfIt() throws IOException {
        byte[] data = data(3_000_000, 9);
        SnapshotStore store = SnapshotStore.open(dir);
        long written = store.save(17, out -> {
            for (int at = 0; at < data.length; at += 70_001) { // pieces that straddle the store's write buffer
                out.write(data, at, Math.min(70_001, data.length - at));
            }
        });
        assertEquals(data.length, written);
        assertEquals(data.length, store.dataBytes(17));
        assertArrayEquals(data, SnapshotStore.open(dir).latest().orElseThrow().data(), "header length and CRC fit");
        java.nio.ByteBuffer slice = java.nio.ByteBuffer.allocate(1000);
        assertEquals(1000, store.readData(17, 1_234_567, slice));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 1_234_567, 1_235_567), slice.array());
        java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(1000);
        assertEquals(400, store.readData(17, data.length - 400, tail), "stops where the data ends");
        assertEquals(-1, store.readData(18, 0, java.nio.ByteBuffer.allocate(10)), "a snapshot not kept");
        assertEquals(-1, store.dataBytes(18));
    }

    @Test
    void theLatestSavedSnapshotComesBackAfterReopen() throws IOException {
        byte[] data = data(5000, 1);
        SnapshotStore.open(dir).save(42, data);
        Snapshot snapshot = SnapshotStore.open(dir).latest().orElseThrow();
        assertEquals(42, snapshot.lastIncludedIndex());
        assertArrayEquals(data, snapshot.data());
    }

    @Test
    void aSnapshotOfTensOfMegabytesRoundTripsAndEmptyDataIsAllowed() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        store.save(1, new byte[0]);
        assertEquals(0, store.latest().orElseThrow().data().length);
        byte[] large = data(24 << 20, 2);
        store.save(2, large);
        assertArrayEquals(large, store.latest().orElseThrow().data());
        assertEquals(SnapshotHeader.BYTES + large.length, Files.size(fileOf(2)));
    }

    @Test
    void onlyTheNewestTwoAreKept() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        for (long index = 10; index <= 50; index += 10) {
            store.save(index, data(100, index));
        }
        assertEquals(List.of("snapshot-00000000000000000040.snap", "snapshot-00000000000000000050.snap"), fileNames());
        assertEquals(50, store.latest().orElseThrow().lastIncludedIndex());
    }

    @Test
    void savingAnOlderIndexIsRejectedAndTheSameIndexReplaces() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        store.save(20, data(10, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.save(19, data(10, 2)));
        assertTrue(e.getMessage().contains("index 19 is older than the newest saved snapshot 20"), e.getMessage());
        byte[] replacement = data(10, 3);
        store.save(20, replacement);
        assertArrayEquals(replacement, store.latest().orElseThrow().data());
    }

    @Test
    void aCorruptNewestSnapshotIsRefusedNamingTheFile() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        store.save(1, data(1000, 1));
        store.save(2, data(1000, 2));
        WalRecoveryTest.flipByte(fileOf(2), SnapshotHeader.BYTES + 500);
        SnapshotCorruptionException e = assertThrows(SnapshotCorruptionException.class, store::latest);
        assertEquals(fileOf(2), e.file());
        assertTrue(e.getMessage().startsWith("snapshot " + fileOf(2) + ": data crc mismatch; refusing to start"),
                e.getMessage());
    }

    @Test
    void aTruncatedOrMisnamedSnapshotIsRefused() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        store.save(7, data(1000, 1));
        WalRecoveryTest.truncate(fileOf(7), 900);
        SnapshotCorruptionException truncated = assertThrows(SnapshotCorruptionException.class, store::latest);
        assertTrue(truncated.getMessage().contains("header says 1000 data bytes but the file holds 868"),
                truncated.getMessage());

        WalRecoveryTest.truncate(fileOf(7), 10);
        SnapshotCorruptionException tiny = assertThrows(SnapshotCorruptionException.class, store::latest);
        assertTrue(tiny.getMessage().contains("only 10 bytes"), tiny.getMessage());

        store.save(8, data(10, 2));
        Files.move(fileOf(8), fileOf(9));
        SnapshotCorruptionException misnamed = assertThrows(SnapshotCorruptionException.class, store::latest);
        assertTrue(misnamed.getMessage().contains("header says index 8 but the file name says 9"), misnamed.getMessage());
    }

    @Test
    void theFallBackPolicyUsesTheOlderSnapshotButNeverNone() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir, CorruptSnapshotPolicy.FALL_BACK_TO_OLDER);
        byte[] older = data(100, 1);
        store.save(1, older);
        store.save(2, data(100, 2));
        WalRecoveryTest.flipByte(fileOf(2), 3);
        Snapshot snapshot = store.latest().orElseThrow();
        assertEquals(1, snapshot.lastIncludedIndex());
        assertArrayEquals(older, snapshot.data());

        WalRecoveryTest.flipByte(fileOf(1), SnapshotHeader.BYTES);
        SnapshotCorruptionException e = assertThrows(SnapshotCorruptionException.class, store::latest);
        assertEquals(fileOf(2), e.file());
        assertTrue(e.getMessage().contains("every older snapshot"), e.getMessage());
    }

    @Test
    void leftoversOfAnInterruptedSaveAreIgnoredAndDeletedAtOpen() throws IOException {
        byte[] data = data(100, 1);
        SnapshotStore.open(dir).save(3, data);
        Path leftover = dir.resolve("snapshot-00000000000000000004.snap.tmp");
        Files.write(leftover, data(77, 2));
        SnapshotStore store = SnapshotStore.open(dir);
        assertFalse(Files.exists(leftover));
        assertEquals(3, store.latest().orElseThrow().lastIncludedIndex());
        assertEquals(List.of("snapshot-00000000000000000003.snap"), fileNames());
    }

    @Test
    void aNegativeIndexIsRejected() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        assertThrows(IllegalArgumentException.class, () -> store.save(-1, new byte[1]));
    }
}
