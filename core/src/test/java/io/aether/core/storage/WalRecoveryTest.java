package io.aether.core.storage;

import static io.aether.core.storage.WalFixtures.SMALL;
import static io.aether.core.storage.WalFixtures.lastSegment;
import static io.aether.core.storage.WalFixtures.payload;
import static io.aether.core.storage.WalFixtures.readAll;
import static io.aether.core.storage.WalFixtures.segmentFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery at open: a torn tail is cut off, anything else damaged is refused with file and offset. */
class WalRecoveryTest {

    private static final int PAYLOAD_BYTES = 50;
    private static final int RECORD_BYTES = RecordHeader.BYTES + PAYLOAD_BYTES;

    @TempDir
    Path dir;

    /** Writes {@code count} records of {@link #PAYLOAD_BYTES} into one segment and closes the log. */
    private void writeRecords(int count) throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
            for (int i = 0; i < count; i++) {
                wal.append(payload(i, PAYLOAD_BYTES));
            }
            wal.sync();
        }
    }

    private static long offsetOfRecord(int position) {
        return SegmentHeader.BYTES + (long) position * RECORD_BYTES;
    }

    @Test
    void aRecordCutInTheMiddleAtTheEndIsTruncatedWithOneWarningAndAppendsContinue() throws IOException {
        writeRecords(10);
        Path segment = lastSegment(dir);
        long cut = offsetOfRecord(9) + 30;
        truncate(segment, cut);
        List<LogRecord> warnings = new ArrayList<>();
        try (WriteAheadLog wal = openCapturingLog(warnings)) {
            RecoveryReport.TruncatedTail tail = wal.recovery().truncatedTail().orElseThrow();
            assertEquals(segment, tail.segment());
            assertEquals(offsetOfRecord(9), tail.offset());
            assertEquals(30, tail.bytesDropped());
            assertEquals(8, wal.lastIndex());
            assertEquals(1, warnings.size());
            String line = warnings.get(0).getMessage();
            assertTrue(line.contains(segment.toString()) && line.contains("offset " + offsetOfRecord(9))
                    && line.contains("truncated 30 bytes"), line);
            assertEquals(9, wal.append(payload(9, 5)));
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
            assertTrue(wal.recovery().truncatedTail().isEmpty(), "the repair is durable");
            List<WalFixtures.Entry> entries = readAll(wal);
            assertEquals(10, entries.size());
            assertArrayEquals(payload(8, PAYLOAD_BYTES), entries.get(8).payload());
            assertArrayEquals(payload(9, 5), entries.get(9).payload());
        }
    }

    @Test
    void randomGarbageAfterTheLastRecordIsTruncated() throws IOException {
        writeRecords(10);
        Path segment = lastSegment(dir);
        long validBytes = Files.size(segment);
        byte[] garbage = new byte[3000];
        new Random(42).nextBytes(garbage);
        Files.write(segment, garbage, StandardOpenOption.APPEND);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
            RecoveryReport.TruncatedTail tail = wal.recovery().truncatedTail().orElseThrow();
            assertEquals(validBytes, tail.offset());
            assertEquals(3000, tail.bytesDropped());
            assertEquals(10, readAll(wal).size());
        }
    }

    @Test
    void aZeroTailIsPreallocatedSpaceThatTheLogContinuesInto() throws IOException {
        writeRecords(3);
        Files.write(lastSegment(dir), new byte[8192], StandardOpenOption.APPEND);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
            assertTrue(wal.recovery().truncatedTail().isEmpty(), "zeros after the last record are not a torn tail");
            assertEquals(2, wal.lastIndex());
            assertEquals(3, wal.append(payload(3, 100)));
            wal.sync();
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
            assertEquals(4, readAll(wal).size());
        }
    }

    @Test
    void aTornRecordInPreallocatedSpaceIsTruncatedWithTheZerosAfterIt() throws IOException {
        writeRecords(3);
        byte[] torn = new byte[8192];
        torn[0] = 0x00;
        torn[3] = 0x40; // a record header cut short: a length, then nothing but zeros
        Files.write(lastSegment(dir), torn, StandardOpenOption.APPEND);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
            assertEquals(8192, wal.recovery().truncatedTail().orElseThrow().bytesDropped());
            assertEquals(2, wal.lastIndex());
        }
    }

    @Test
    void theActiveSegmentIsPreallocatedAndSealedOrClosedSegmentsAreTrimmed() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 9; i++) {
                wal.append(payload(i, 100));
            }
            wal.sync();
            List<Path> open = segmentFiles(dir);
            assertEquals(2, open.size(), open.toString());
            long record = RecordHeader.BYTES + 100;
            assertEquals(SegmentHeader.BYTES + 8 * record, Files.size(open.get(0)),
                    "the sealed segment holds its header and 8 records only");
            assertEquals(SMALL.segmentBytes(), Files.size(open.get(1)),
                    "the active segment is preallocated ahead of its one record, up to the segment size");
        }
        assertEquals(SegmentHeader.BYTES + RecordHeader.BYTES + 100, Files.size(segmentFiles(dir).get(1)),
                "closing trims the active segment");
    }

    @Test
    void aLastSegmentWithATornHeaderIsRewrittenAndTheLogContinuesAtItsIndex() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 9; i++) {
                wal.append(payload(i, 100));
            }
        }
        Path second = lastSegment(dir);
        assertEquals("00000000000000000008.wal", second.getFileName().toString());
        truncate(second, 7);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            RecoveryReport.TruncatedTail tail = wal.recovery().truncatedTail().orElseThrow();
            assertEquals(0, tail.offset());
            assertEquals(7, tail.bytesDropped());
            assertEquals(7, wal.lastIndex());
            assertEquals(8, wal.append(payload(8, 100)));
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            assertEquals(9, readAll(wal).size());
        }
    }

    @Test
    void aFlippedPayloadByteFollowedByValidRecordsIsRefusedNamingFileAndOffset() throws IOException {
        writeRecords(10);
        Path segment = lastSegment(dir);
        flipByte(segment, offsetOfRecord(3) + RecordHeader.BYTES + 7);
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> WriteAheadLog.open(dir, WalOptions.defaults()));
        assertEquals(segment, e.segment());
        assertEquals(offsetOfRecord(3), e.offset());
        assertTrue(e.getMessage().startsWith("wal segment " + segment + ": corrupt record at offset " + offsetOfRecord(3)
                + " (record payload crc mismatch) followed by a valid record at offset " + offsetOfRecord(4)
                + "; refusing to start"), e.getMessage());
        assertEquals(offsetOfRecord(10), Files.size(segment), "nothing was truncated");
    }

    @Test
    void aFlippedLengthByteFollowedByValidRecordsIsRefused() throws IOException {
        writeRecords(10);
        Path segment = lastSegment(dir);
        flipByte(segment, offsetOfRecord(5) + 2);
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> WriteAheadLog.open(dir, WalOptions.defaults()));
        assertEquals(offsetOfRecord(5), e.offset());
        assertTrue(e.getMessage().contains("record header crc mismatch"), e.getMessage());
    }

    @Test
    void aDamagedLastRecordOfANonLastSegmentIsRefused() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 20; i++) {
                wal.append(payload(i, 100));
            }
        }
        Path first = segmentFiles(dir).get(0);
        long lastRecordOffset = SegmentHeader.BYTES + 7L * (RecordHeader.BYTES + 100);
        flipByte(first, Files.size(first) - 1);
        WalCorruptionException e = assertThrows(WalCorruptionException.class, () -> WriteAheadLog.open(dir, SMALL));
        assertEquals(first, e.segment());
        assertEquals(lastRecordOffset, e.offset());
        assertTrue(e.getMessage().contains("not the last one"), e.getMessage());
    }

    @Test
    void aTruncatedNonLastSegmentIsRefused() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 20; i++) {
                wal.append(payload(i, 100));
            }
        }
        Path first = segmentFiles(dir).get(0);
        truncate(first, Files.size(first) - 10);
        WalCorruptionException e = assertThrows(WalCorruptionException.class, () -> WriteAheadLog.open(dir, SMALL));
        assertEquals(first, e.segment());
        assertTrue(e.getMessage().contains("incomplete record payload"), e.getMessage());
    }

    @Test
    void aMissingSegmentInTheMiddleIsRefused() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, SMALL)) {
            for (int i = 0; i < 30; i++) {
                wal.append(payload(i, 100));
            }
        }
        Files.delete(segmentFiles(dir).get(1));
        WalCorruptionException e = assertThrows(WalCorruptionException.class, () -> WriteAheadLog.open(dir, SMALL));
        assertEquals("00000000000000000016.wal", e.segment().getFileName().toString());
        assertTrue(e.getMessage().contains("the segment starts at index 16 but the previous segment ends before index 8"),
                e.getMessage());
    }

    @Test
    void aSegmentWhoseHeaderDisagreesWithItsNameIsRefused() throws IOException {
        writeRecords(2);
        Files.move(lastSegment(dir), dir.resolve("00000000000000000005.wal"));
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> WriteAheadLog.open(dir, WalOptions.defaults()));
        assertTrue(e.getMessage().contains("it says first index 0 but the file name says 5"), e.getMessage());
    }

    @Test
    void aRecordLongerThanTheConfiguredMaximumIsRefusedWithAHint() throws IOException {
        writeRecords(3);
        WalOptions smallerMaximum = new WalOptions(WalOptions.DEFAULT_SEGMENT_BYTES, 10,
                WalOptions.DEFAULT_WRITE_BUFFER_BYTES);
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> WriteAheadLog.open(dir, smallerMaximum));
        assertEquals(offsetOfRecord(0), e.offset());
        assertTrue(e.getMessage().contains("record length 50 exceeds maxRecordBytes 10"), e.getMessage());
        assertTrue(e.getMessage().contains("reopen it with that value"), e.getMessage());
    }

    @Test
    void aCorruptSegmentHeaderIsRefused() throws IOException {
        writeRecords(3);
        Path segment = lastSegment(dir);
        flipByte(segment, 9);
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> WriteAheadLog.open(dir, WalOptions.defaults()));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("invalid segment header at offset 0 (segment header crc mismatch)"), e.getMessage());
    }

    @Test
    void aRecordThatRotAfterOpenIsReportedByReplay() throws IOException {
        writeRecords(5);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, WalOptions.defaults())) {
            flipByte(lastSegment(dir), offsetOfRecord(2) + RecordHeader.BYTES);
            WalCorruptionException e = assertThrows(WalCorruptionException.class,
                    () -> wal.replay(0, (index, payload) -> {}));
            assertEquals(offsetOfRecord(2), e.offset());
            assertTrue(e.getMessage().contains("during replay"), e.getMessage());
        }
    }

    private WriteAheadLog openCapturingLog(List<LogRecord> warnings) throws IOException {
        Logger logger = Logger.getLogger(WriteAheadLog.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            return WriteAheadLog.open(dir, WalOptions.defaults());
        } finally {
            logger.removeHandler(handler);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
            channel.write(one, offset);
        }
    }
}
