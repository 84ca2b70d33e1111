package io.aether.core.storage;

import static io.aether.core.storage.WalFixtures.SMALL;
import static io.aether.core.storage.WalFixtures.lastSegment;
import static io.aether.core.storage.WalFixtures.payload;
import static io.aether.core.storage.WalFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Records appended but not synced may be lost by a crash, synced ones never are. A crash leaves the last
 * segment cut anywhere after its last synced byte, possibly followed by garbage; every such state must recover
 * exactly the records that were completely written, with their indexes.
 */
class WalCrashProperties {

    @Property(tries = 200)
    void everyCrashCutKeepsAllSyncedRecordsAndExactlyTheCompleteOnes(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(max = 300) Integer> payloadSizes,
            @ForAll @IntRange(max = 40) int syncedCount,
            @ForAll @DoubleRange(max = 1.0) double cutFraction,
            @ForAll @IntRange(max = 200) int garbageBytes,
            @ForAll long garbageSeed) throws IOException {
        int synced = Math.min(syncedCount, payloadSizes.size());
        Path dir = Files.createTempDirectory("wal-crash-");
        try {
            Path syncedSegment;
            long syncedBytes;
            try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
                for (int i = 0; i < synced; i++) {
                    wal.append(payload(i, payloadSizes.get(i)));
                }
                wal.sync();
                syncedSegment = lastSegment(dir);
                syncedBytes = Files.size(syncedSegment);
                for (int i = synced; i < payloadSizes.size(); i++) {
                    wal.append(payload(i, payloadSizes.get(i)));
                }
            }

            Path last = lastSegment(dir);
            long lastFirstIndex = Long.parseLong(last.getFileName().toString().substring(0, 20));
            // a rolled-to segment is created only after the previous one is forced, and its header is forced
            long durableBytes = last.equals(syncedSegment) ? syncedBytes : SegmentHeader.BYTES;
            long size = Files.size(last);
            long cut = durableBytes + Math.round(cutFraction * (size - durableBytes));
            WalRecoveryTest.truncate(last, cut);
            byte[] garbage = new byte[garbageBytes];
            new Random(garbageSeed).nextBytes(garbage);
            Files.write(last, garbage, StandardOpenOption.APPEND);

            long expectedLastIndex = lastFirstIndex - 1;
            long end = SegmentHeader.BYTES;
            for (int i = (int) lastFirstIndex; i < payloadSizes.size(); i++) {
                end += RecordHeader.BYTES + payloadSizes.get(i);
                if (end > cut) {
                    break;
                }
                expectedLastIndex = i;
            }

            try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
                assertEquals(expectedLastIndex, wal.lastIndex(), "cut at " + cut + " of " + last.getFileName());
                assertTrue(wal.lastIndex() >= synced - 1, "a synced record was lost");
                List<WalFixtures.Entry> entries = readAll(wal);
                assertEquals(expectedLastIndex + 1, entries.size());
                for (WalFixtures.Entry entry : entries) {
                    int index = (int) entry.index();
                    assertArrayEquals(payload(index, payloadSizes.get(index)), entry.payload());
                }
                assertEquals(expectedLastIndex + 1, wal.append(payload(0, 10)), "appends continue densely");
            }
        } finally {
            WalFixtures.deleteRecursively(dir);
        }
    }
}
