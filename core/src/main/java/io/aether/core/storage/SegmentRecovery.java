package io.aether.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Validates every segment of a log directory at open and cuts off a torn tail of the last one. Anything else
 * that is damaged is refused with a {@link WalCorruptionException}: only a tail written after the last sync can
 * be torn by a crash, and only it may be dropped.
 */
final class SegmentRecovery {

    private static final System.Logger LOG = System.getLogger(WriteAheadLog.class.getName());

    static final String REFUSAL = "refusing to start: the records after it may have been acknowledged and are"
            + " never dropped silently; rebuild this replica from its peers (move the wal directory aside) or"
            + " restore it from a backup";

    /**
     * The recovered state.
     *
     * @param segments         all segments, ordered, possibly empty
     * @param nextIndex        index the next append gets
     * @param lastSegmentBytes valid length of the last segment after any truncation
     */
    record Recovered(List<SegmentFile> segments, long nextIndex, long lastSegmentBytes,
                     Optional<RecoveryReport.TruncatedTail> truncatedTail) {}

    private final int maxRecordBytes;
    private final byte[] scratch = new byte[SegmentHeader.BYTES];
    private final byte[] chunk = new byte[8 << 10];
    private final CRC32C crc = new CRC32C();

    private SegmentRecovery(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    static Recovered recover(Path dir, int maxRecordBytes) throws IOException {
        return new SegmentRecovery(maxRecordBytes).run(SegmentFile.list(dir));
    }

    private Recovered run(List<SegmentFile> segments) throws IOException {
        long nextIndex = segments.isEmpty() ? 0 : segments.get(0).firstIndex();
        long lastSegmentBytes = 0;
        Optional<RecoveryReport.TruncatedTail> truncated = Optional.empty();
        for (int i = 0; i < segments.size(); i++) {
            SegmentFile segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (segment.firstIndex() != nextIndex) {
                throw new WalCorruptionException(segment.path(), 0, "unexpected first index", "(the segment starts at index "
                        + segment.firstIndex() + " but the previous segment ends before index " + nextIndex
                        + "; a segment is missing or was altered)", REFUSAL);
            }
            Scan scan = scan(segment, last);
            nextIndex = segment.firstIndex() + scan.records();
            lastSegmentBytes = scan.validBytes();
            if (scan.truncated().isPresent()) {
                truncated = scan.truncated();
            }
        }
        return new Recovered(segments, nextIndex, lastSegmentBytes, truncated);
    }

    private record Scan(long records, long validBytes, Optional<RecoveryReport.TruncatedTail> truncated) {}

    private Scan scan(SegmentFile segment, boolean last) throws IOException {
        Path path = segment.path();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            PositionalReader reader = new PositionalReader(path, channel, channel.size());
            SegmentHeader.Decoded header = readHeader(reader);
            if (header instanceof SegmentHeader.Decoded.Invalid invalid) {
                if (last && reader.size() <= SegmentHeader.BYTES) {
                    return new Scan(0, SegmentHeader.BYTES, Optional.of(rewriteHeader(segment, reader.size(), invalid.reason())));
                }
                throw new WalCorruptionException(path, 0, "invalid segment header", "(" + invalid.reason() + ")", REFUSAL);
            }
            long headerIndex = ((SegmentHeader.Decoded.Valid) header).header().firstIndex();
            if (headerIndex != segment.firstIndex()) {
                throw new WalCorruptionException(path, 0, "invalid segment header", "(it says first index " + headerIndex
                        + " but the file name says " + segment.firstIndex() + ")", REFUSAL);
            }
            return scanRecords(segment, reader, last);
        }
    }

    private SegmentHeader.Decoded readHeader(PositionalReader reader) throws IOException {
        if (reader.size() < SegmentHeader.BYTES) {
            return new SegmentHeader.Decoded.Invalid("incomplete segment header, " + reader.size() + " of "
                    + SegmentHeader.BYTES + " bytes");
        }
        reader.read(0, scratch, 0, SegmentHeader.BYTES);
        return SegmentHeader.decode(scratch);
    }

    private Scan scanRecords(SegmentFile segment, PositionalReader reader, boolean last) throws IOException {
        long offset = SegmentHeader.BYTES;
        long records = 0;
        while (true) {
            RecordProbe probe = RecordProbe.at(reader, offset, maxRecordBytes, scratch, crc);
            if (probe instanceof RecordProbe.Valid valid) {
                offset += valid.header().recordBytes();
                records++;
            } else if (probe instanceof RecordProbe.Invalid invalid) {
                if (last && zerosFrom(reader, offset)) {
                    return new Scan(records, offset, Optional.empty()); // the writer's preallocated space
                }
                return new Scan(records, offset, Optional.of(judgeInvalid(segment, reader, offset, invalid, last)));
            } else {
                return new Scan(records, offset, Optional.empty());
            }
        }
    }

    /**
     * True if every byte from {@code offset} to the end is zero: space the writer preallocated and never wrote. No
     * record has an all-zero header (its header checksum would not match), so this cannot hide a record.
     */
    private boolean zerosFrom(PositionalReader reader, long offset) throws IOException {
        for (long at = offset; at < reader.size(); at += chunk.length) {
            int length = (int) Math.min(chunk.length, reader.size() - at);
            reader.read(at, chunk, 0, length);
            for (int i = 0; i < length; i++) {
                if (chunk[i] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private RecoveryReport.TruncatedTail judgeInvalid(SegmentFile segment, PositionalReader reader, long offset,
                                                      RecordProbe.Invalid invalid, boolean last) throws IOException {
        Path path = segment.path();
        if (!last) {
            throw new WalCorruptionException(path, offset, "corrupt record", "(" + invalid.reason()
                    + ") in a segment that is not the last one", REFUSAL);
        }
        if (invalid.certainlyCorrupt()) {
            throw new WalCorruptionException(path, offset, "corrupt record", "(" + invalid.reason() + ")", REFUSAL);
        }
        long validAfter = RecordProbe.findValidAfter(reader, offset, maxRecordBytes, scratch, crc);
        if (validAfter >= 0) {
            throw new WalCorruptionException(path, offset, "corrupt record", "(" + invalid.reason()
                    + ") followed by a valid record at offset " + validAfter, REFUSAL);
        }
        long dropped = reader.size() - offset;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(offset);
            channel.force(false);
        }
        LOG.log(System.Logger.Level.WARNING, String.format(
                "wal segment %s: torn tail at offset %d (%s); truncated %d bytes of unsynced writes left by a crash",
                path, offset, invalid.reason(), dropped));
        return new RecoveryReport.TruncatedTail(path, offset, dropped, invalid.reason());
    }

    /** A crash while creating the last segment can leave its header incomplete; nothing was synced into it. */
    private RecoveryReport.TruncatedTail rewriteHeader(SegmentFile segment, long size, String reason) throws IOException {
        try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.WRITE)) {
            channel.truncate(0);
            ByteBuffer header = new SegmentHeader(segment.firstIndex()).encode();
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(false);
        }
        LOG.log(System.Logger.Level.WARNING, String.format(
                "wal segment %s: torn segment header (%s) left by a crash while creating it; dropped %d bytes and"
                        + " rewrote the header for first index %d", segment.path(), reason, size, segment.firstIndex()));
        return new RecoveryReport.TruncatedTail(segment.path(), 0, size, reason);
    }
}
