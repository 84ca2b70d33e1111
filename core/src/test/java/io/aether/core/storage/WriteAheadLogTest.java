package io.aether.core.storage;

import static io.aether.core.storage.WalFixtures.SMALL;
import static io.aether.core.storage.WalFixtures.payload;
import static io.aether.core.storage.WalFixtures.readAll;
import static io.aether.core.storage.WalFixtures.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {

    @TempDir
    Path dir;

    @Test
    void aNewLogIsEmptyAndStartsAtIndexZero() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir.resolve("wal"), SMALL)) {
            assertEquals(0, wal.firstIndex());
            assertEquals(-1, wal.lastIndex());
            assertEquals(List.of(), readAll(wal));
            assertEquals(0, wal.append(payload(0, 10)));
        }
    }

    @Test
    void syncedRecordsComeBackAfterReopenInOrderWithTheirIndexes() throws IOException {
        List<byte[]> written = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
            for (int i = 0; i < 1000; i++) {
                byte[] record = payload(i, i % 300);
                written.add(record);
                assertEquals(i, wal.append(record));
                if (i % 37 == 0) {
                    wal.sync();
                }
            }
            wal.sync();
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
            assertEquals(0, wal.firstIndex());
            assertEquals(999, wal.lastIndex());
            List<WalFixtures.Entry> entries = readAll(wal);
            assertEquals(1000, entries.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, entries.get(i).index());
                assertArrayEquals(written.get(i), entries.get(i).payload());
            }
            assertEquals(1000, wal.append(payload(1000, 5)), "appends continue after the last recovered index");
        }
    }

    @Test
    void replayIncludesAppendedButUnsyncedRecordsAndStartsAtTheRequestedIndex() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 50; i++) {
                wal.append(payload(i, 40));
            }
            List<Long> indexes = new ArrayList<>();
            wal.replay(17, (index, payload) -> {
                assertArrayEquals(payload(index, 40), payload);
                indexes.add(index);
            });
            assertEquals(33, indexes.size());
            assertEquals(17L, indexes.get(0));
            assertEquals(49L, indexes.get(32));
            List<Long> none = new ArrayList<>();
            wal.replay(50, (index, payload) -> none.add(index));
            assertEquals(List.of(), none);
        }
    }

    @Test
    void replayOutsideTheLogIsRejectedWithTheRange() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            wal.append(List.of(payload(0, 1), payload(1, 1)));
            IllegalArgumentException tooFar = assertThrows(IllegalArgumentException.class,
                    () -> wal.replay(3, (index, payload) -> {}));
            assertTrue(tooFar.getMessage().contains("[0, 1]"), tooFar.getMessage());
            assertThrows(IllegalArgumentException.class, () -> wal.replay(-1, (index, payload) -> {}));
        }
    }

    @Test
    void segmentsRollOverAtTheConfiguredSizeAndAreNamedByTheirFirstIndex() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 100; i++) {
                wal.append(payload(i, 100));
            }
            wal.sync();
        }
        List<Path> segments = segmentFiles(dir);
        // a 1024-byte segment holds (1024 - 20) / (12 + 100) = 8 records
        assertEquals(13, segments.size());
        assertEquals("00000000000000000000.wal", segments.get(0).getFileName().toString());
        assertEquals("00000000000000000008.wal", segments.get(1).getFileName().toString());
        for (Path segment : segments) {
            assertTrue(Files.size(segment) <= SMALL.segmentBytes(), segment + " exceeds segmentBytes");
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            assertEquals(99, wal.lastIndex());
            assertEquals(100, readAll(wal).size());
        }
    }

    @Test
    void truncateBeforeDeletesOnlyWholeSegmentsBelowTheIndex() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 100; i++) {
                wal.append(payload(i, 100));
            }
            wal.truncateBefore(20);
            // segments start at 0, 8, 16, 24: 16..23 holds index 20, so it stays
            assertEquals(16, wal.firstIndex());
            assertEquals(99, wal.lastIndex());
            assertEquals(16L, readAll(wal).get(0).index());
            wal.truncateBefore(16);
            assertEquals(16, wal.firstIndex(), "a segment starting exactly at the index is kept");
            wal.truncateBefore(Long.MAX_VALUE);
            assertEquals(96, wal.firstIndex(), "the active segment is never deleted");
            assertEquals(1, segmentFiles(dir).size());
            assertEquals(100, wal.append(payload(100, 100)));
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            assertEquals(96, wal.firstIndex());
            assertEquals(100, wal.lastIndex());
            List<WalFixtures.Entry> entries = readAll(wal);
            assertEquals(5, entries.size());
            assertArrayEquals(payload(100, 100), entries.get(4).payload());
            assertThrows(IllegalArgumentException.class, () -> wal.replay(95, (index, payload) -> {}));
        }
    }

    @Test
    void aRecordAboveTheMaximumIsRejectedAndABatchWithOneIsRejectedWhole() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
                    () -> wal.append(new byte[513]));
            assertTrue(single.getMessage().contains("513 bytes exceeds maxRecordBytes 512"), single.getMessage());
            assertThrows(IllegalArgumentException.class, () -> wal.append(List.of(new byte[1], new byte[513])));
            assertEquals(-1, wal.lastIndex());
            assertEquals(0, wal.append(new byte[512]), "exactly the maximum fits");
        }
    }

    @Test
    void recordsLargerThanTheWriteBufferAndEmptyRecordsRoundTrip() throws IOException {
        WalOptions options = new WalOptions(1 << 20, 100_000, WalOptions.MIN_WRITE_BUFFER_BYTES);
        byte[] large = payload(1, 100_000);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, options)) {
            wal.append(new byte[0]);
            wal.append(large);
            wal.append(new byte[0]);
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, options)) {
            List<WalFixtures.Entry> entries = readAll(wal);
            assertEquals(3, entries.size());
            assertEquals(0, entries.get(0).payload().length);
            assertArrayEquals(large, entries.get(1).payload());
        }
    }

    @Test
    void closeSyncsWhatWasAppended() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            wal.append(payload(0, 10));
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            assertEquals(0, wal.lastIndex());
        }
    }

    @Test
    void aDirectoryIsOpenedByOneLogAtATime() throws IOException {
        WriteAheadLog first = WriteAheadLog.open(dir, SMALL);
        IOException second = assertThrows(IOException.class, () -> WriteAheadLog.open(dir, SMALL));
        assertTrue(second.getMessage().contains("already open"), second.getMessage());
        first.close();
        WriteAheadLog.open(dir, SMALL).close();
    }

    @Test
    void aClosedLogRefusesUse() throws IOException {
        WriteAheadLog wal = WriteAheadLog.open(dir, SMALL);
        wal.close();
        wal.close();
        assertThrows(IllegalStateException.class, () -> wal.append(new byte[1]));
        assertThrows(IllegalStateException.class, wal::sync);
    }

    @Test
    void optionsRejectAMaximumRecordThatCannotFitInASegment() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WalOptions(1024, 1000, WalOptions.MIN_WRITE_BUFFER_BYTES));
        assertTrue(e.getMessage().contains("segmentBytes 1024 must be between 1032"), e.getMessage());
    }
}
