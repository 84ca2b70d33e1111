package io.aether.core.storage;

import static io.aether.core.storage.WalFixtures.SMALL;
import static io.aether.core.storage.WalFixtures.payload;
import static io.aether.core.storage.WalFixtures.readAll;
import static io.aether.core.storage.WalFixtures.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the bytes on disk, open either recovers a prefix of what was written or refuses with a
 * {@link WalCorruptionException} or {@link IOException} naming the log; it never throws anything else, never
 * hangs and never allocates according to a length it read from disk beyond the record bound.
 */
class WalFuzzProperties {

    /** Opening must allocate far less than the lengths planted on disk, which start at 8 MiB. */
    private static final long MAX_ALLOCATED_BYTES_PER_OPEN = 4 << 20;

    sealed interface Mutation {
        /** Which segment, as a fraction of the segment count. */
        double segment();

        record Flip(double segment, double position, int xor) implements Mutation {}

        record Cut(double segment, double position) implements Mutation {}

        record AppendGarbage(double segment, byte[] garbage) implements Mutation {}

        record Replace(double segment, byte[] content) implements Mutation {}

        /** A record header with a valid own checksum claiming a huge payload, as a bit-rotted length could. */
        record PlantHeader(double segment, double position, long claimedBytes) implements Mutation {}
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<Double> fraction = Arbitraries.doubles().between(0, 1);
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        return Arbitraries.oneOf(
                Combinators.combine(fraction, fraction, Arbitraries.integers().between(1, 255)).as(Mutation.Flip::new),
                Combinators.combine(fraction, fraction).as(Mutation.Cut::new),
                Combinators.combine(fraction, bytes).as(Mutation.AppendGarbage::new),
                Combinators.combine(fraction, bytes).as(Mutation.Replace::new),
                Combinators.combine(fraction, fraction, Arbitraries.longs().between(8L << 20, 0xFFFF_FFFFL))
                        .as(Mutation.PlantHeader::new));
    }

    @Property(tries = 300)
    void openRecoversAPrefixOrRefusesClearly(
            @ForAll @Size(min = 0, max = 30) List<@IntRange(max = 200) Integer> payloadSizes,
            @ForAll @Size(min = 1, max = 4) List<@From("mutations") Mutation> mutations) throws IOException {
        Path dir = Files.createTempDirectory("wal-fuzz-");
        try {
            try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
                for (int i = 0; i < payloadSizes.size(); i++) {
                    wal.append(payload(i, payloadSizes.get(i)));
                }
            }
            for (Mutation mutation : mutations) {
                apply(mutation, segmentFiles(dir));
            }
            String outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> openAndJudge(dir, payloadSizes));
            Statistics.label("outcome").collect(outcome);
        } finally {
            WalFixtures.deleteRecursively(dir);
        }
    }

    /** Runs off the jqwik thread (for the timeout), so it returns the outcome for the statistics. */
    private static String openAndJudge(Path dir, List<Integer> payloadSizes) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        WriteAheadLog wal;
        try {
            wal = WriteAheadLog.open(dir, SMALL);
        } catch (WalCorruptionException e) {
            assertTrue(e.getMessage().startsWith("wal segment " + e.segment()), e.getMessage());
            assertTrue(e.getMessage().contains(" at offset " + e.offset() + " "), e.getMessage());
            assertTrue(e.getMessage().contains("refusing to start"), e.getMessage());
            return "refused: corruption";
        } catch (IOException e) {
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            return "refused: other I/O error";
        } finally {
            long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
            assertTrue(allocated < MAX_ALLOCATED_BYTES_PER_OPEN, "open allocated " + allocated + " bytes");
        }
        String outcome = wal.recovery().truncatedTail().isPresent() ? "recovered: tail cut" : "recovered: intact";
        try (wal) {
            assertEquals(0, wal.firstIndex(), "no mutation renames segments, so the log still starts at 0");
            assertTrue(wal.lastIndex() < payloadSizes.size(), "recovered more records than were written");
            for (WalFixtures.Entry entry : readAll(wal)) {
                int index = (int) entry.index();
                assertArrayEquals(payload(index, payloadSizes.get(index)), entry.payload(), "record " + index);
            }
        }
        try (WriteAheadLog reopened = WriteAheadLog.open(dir, SMALL)) {
            assertTrue(reopened.recovery().truncatedTail().isEmpty(), "a repaired log opens cleanly");
        }
        return outcome;
    }

    private static void apply(Mutation mutation, List<Path> segments) throws IOException {
        Path segment = segments.get(Math.min(segments.size() - 1, (int) (mutation.segment() * segments.size())));
        long size = Files.size(segment);
        if (mutation instanceof Mutation.Flip flip) {
            if (size > 0) {
                WalRecoveryTest.flipByte(segment, Math.min(size - 1, (long) (flip.position() * size)));
            }
        } else if (mutation instanceof Mutation.Cut cut) {
            WalRecoveryTest.truncate(segment, (long) (cut.position() * size));
        } else if (mutation instanceof Mutation.AppendGarbage garbage) {
            Files.write(segment, garbage.garbage(), StandardOpenOption.APPEND);
        } else if (mutation instanceof Mutation.Replace replace) {
            Files.write(segment, replace.content());
        } else if (mutation instanceof Mutation.PlantHeader plant) {
            plantHeader(segment, (long) (plant.position() * size), plant.claimedBytes());
        }
    }

    private static void plantHeader(Path segment, long offset, long claimedBytes) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(RecordHeader.BYTES).putInt((int) claimedBytes).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 8);
        header.putInt((int) crc.getValue()).flip();
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(header, offset);
        }
    }
}
