package io.aether.core.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A segmented write-ahead log of opaque records with dense indexes, CRC32C-checked and fsynced in groups.
 *
 * <p>Appends are buffered and assigned the next index; nothing is durable until {@link #sync()} returns, so the
 * caller appends a batch and syncs once (group commit). {@link #open} validates every record and cuts off a
 * torn tail left by a crash, but refuses with {@link WalCorruptionException} to drop anything else.
 *
 * <p>Indexes: a new log starts at 0. {@link #firstIndex()} is the oldest record kept and {@link #lastIndex()}
 * the newest; an empty log has {@code lastIndex() == firstIndex() - 1}, so a brand-new log reports -1, and
 * the next append always gets {@code lastIndex() + 1}.
 *
 * <p>Not thread-safe: one thread (the replica's) owns the log. After an I/O error while writing, the state on
 * disk is unknown, so every later call fails with {@link IllegalStateException}; reopen to recover.
 * See {@code docs/storage.md} for the format and the recovery rules.
 */
public final class WriteAheadLog implements AutoCloseable {

    private final Path dir;
    private final WalOptions options;
    private final DirectoryLock lock;
    private final List<SegmentFile> segments;
    private final RecoveryReport recovery;
    private SegmentWriter active;
    private long nextIndex;
    private IOException failure;
    private boolean closed;

    private WriteAheadLog(Path dir, WalOptions options, DirectoryLock lock, List<SegmentFile> segments,
                          SegmentWriter active, long nextIndex, RecoveryReport recovery) {
        this.dir = dir;
        this.options = options;
        this.lock = lock;
        this.segments = segments;
        this.active = active;
        this.nextIndex = nextIndex;
        this.recovery = recovery;
    }

    /**
     * Opens the log in {@code dir}, creating it if needed, and recovers it: validates every segment and record,
     * truncates a torn tail of the last segment (one WARNING line), refuses anything else that is damaged.
     *
     * @throws WalCorruptionException if damage other than a torn tail is found; the message names file and offset
     * @throws IOException            if the directory cannot be read or written, or another process holds it
     */
    public static WriteAheadLog open(Path dir, WalOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        Path absolute = dir.toAbsolutePath();
        if (!Files.isDirectory(absolute)) {
            Files.createDirectories(absolute);
            Fsync.directory(absolute.getParent());
        }
        DirectoryLock lock = DirectoryLock.acquire(absolute);
        try {
            return recover(absolute, options, lock);
        } catch (IOException | RuntimeException e) {
            try {
                lock.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private static WriteAheadLog recover(Path dir, WalOptions options, DirectoryLock lock) throws IOException {
        SegmentRecovery.Recovered recovered = SegmentRecovery.recover(dir, options.maxRecordBytes());
        List<SegmentFile> segments = new ArrayList<>(recovered.segments());
        SegmentWriter active;
        if (segments.isEmpty()) {
            SegmentFile first = SegmentFile.in(dir, 0);
            active = SegmentWriter.create(first, options.segmentBytes(), options.writeBufferBytes());
            Fsync.directory(dir);
            segments.add(first);
        } else {
            SegmentFile last = segments.get(segments.size() - 1);
            active = SegmentWriter.resume(last, recovered.lastSegmentBytes(), options.segmentBytes(),
                    options.writeBufferBytes());
        }
        long firstIndex = segments.get(0).firstIndex();
        RecoveryReport report = new RecoveryReport(segments.size(), firstIndex, recovered.nextIndex() - 1,
                recovered.truncatedTail());
        return new WriteAheadLog(dir, options, lock, segments, active, recovered.nextIndex(), report);
    }

    /**
     * Appends one record to the write buffer and returns its index; durable only after {@link #sync()}.
     *
     * @throws IllegalArgumentException if the payload is larger than {@link WalOptions#maxRecordBytes()}
     */
    public long append(byte[] payload) throws IOException {
        checkUsable();
        checkSize(payload);
        try {
            return appendChecked(payload);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** Appends records in order; if one is too large, none is appended. */
    public void append(List<byte[]> payloads) throws IOException {
        checkUsable();
        payloads.forEach(this::checkSize);
        try {
            for (byte[] payload : payloads) {
                appendChecked(payload);
            }
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    private long appendChecked(byte[] payload) throws IOException {
        if (active.hasRecords() && active.sizeBytes() + RecordHeader.BYTES + payload.length > options.segmentBytes()) {
            roll();
        }
        active.append(payload);
        return nextIndex++;
    }

    /** Seals the active segment (forced to disk first) and starts a new one at the next index. */
    private void roll() throws IOException {
        active.finish();
        active.close();
        SegmentFile next = SegmentFile.in(dir, nextIndex);
        active = SegmentWriter.create(next, options.segmentBytes(), options.writeBufferBytes());
        Fsync.directory(dir);
        segments.add(next);
    }

    /** Writes out and fsyncs everything appended so far; when it returns, those records survive any crash. */
    public void sync() throws IOException {
        checkUsable();
        try {
            active.sync();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** Index of the oldest record kept; equals {@code lastIndex() + 1} when the log is empty. */
    public long firstIndex() {
        return segments.get(0).firstIndex();
    }

    /** Index of the newest record appended (synced or not); {@code firstIndex() - 1} when the log is empty. */
    public long lastIndex() {
        return nextIndex - 1;
    }

    /** What open found and repaired. */
    public RecoveryReport recovery() {
        return recovery;
    }

    /**
     * Hands every record from {@code fromIndex} through {@link #lastIndex()} to {@code consumer}, in order,
     * including appended records not yet synced. Checksums are verified again on the way. The consumer must not
     * call back into this log.
     *
     * @throws IllegalArgumentException if {@code fromIndex} is below {@link #firstIndex()} (truncated: load the
     *                                  snapshot first) or above {@code lastIndex() + 1}
     * @throws WalCorruptionException   if a record no longer matches its checksum
     */
    public void replay(long fromIndex, RecordConsumer consumer) throws IOException {
        checkUsable();
        if (fromIndex < firstIndex() || fromIndex > nextIndex) {
            throw new IllegalArgumentException("wal " + dir + ": cannot replay from index " + fromIndex
                    + "; the log holds [" + firstIndex() + ", " + lastIndex() + "]"
                    + (fromIndex < firstIndex() ? " (older records were truncated after a snapshot)" : ""));
        }
        try {
            active.flush();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        for (int i = 0; i < segments.size(); i++) {
            long segmentEnd = i + 1 < segments.size() ? segments.get(i + 1).firstIndex() : nextIndex;
            if (segmentEnd > fromIndex) {
                replaySegment(segments.get(i), fromIndex, segmentEnd, consumer);
            }
        }
    }

    private void replaySegment(SegmentFile segment, long fromIndex, long endIndex, RecordConsumer consumer)
            throws IOException {
        try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
            PositionalReader reader = new PositionalReader(segment.path(), channel, channel.size());
            byte[] headerBytes = new byte[RecordHeader.BYTES];
            CRC32C crc = new CRC32C();
            long offset = SegmentHeader.BYTES;
            for (long index = segment.firstIndex(); index < endIndex; index++) {
                RecordHeader header = readHeader(segment, reader, offset, headerBytes, crc);
                if (index >= fromIndex) {
                    byte[] payload = new byte[header.payloadBytes()];
                    reader.read(offset + RecordHeader.BYTES, payload, 0, payload.length);
                    crc.reset();
                    crc.update(payload);
                    if ((int) crc.getValue() != header.payloadCrc()) {
                        throw changedSinceOpen(segment, offset, "record payload crc mismatch");
                    }
                    consumer.accept(index, payload);
                }
                offset += header.recordBytes();
            }
        }
    }

    private RecordHeader readHeader(SegmentFile segment, PositionalReader reader, long offset, byte[] headerBytes,
                                    CRC32C crc) throws IOException {
        if (reader.size() - offset < RecordHeader.BYTES) {
            throw changedSinceOpen(segment, offset, "segment ends early");
        }
        reader.read(offset, headerBytes, 0, RecordHeader.BYTES);
        RecordHeader header = RecordHeader.parseOrNull(headerBytes, 0, crc);
        if (header == null || Integer.toUnsignedLong(header.payloadBytes()) > options.maxRecordBytes()
                || reader.size() - offset < header.recordBytes()) {
            throw changedSinceOpen(segment, offset, "record header invalid");
        }
        return header;
    }

    private static WalCorruptionException changedSinceOpen(SegmentFile segment, long offset, String problem) {
        return new WalCorruptionException(segment.path(), offset, "corrupt record", "(" + problem + ") found during"
                + " replay although open validated it; the file changed underneath the log or the disk returns"
                + " different data", SegmentRecovery.REFUSAL);
    }

    /**
     * Log compaction after a snapshot: deletes, oldest first, every segment whose records all lie below
     * {@code index}. Records at or above {@code index} are always kept, and so is the active segment, so some
     * records below {@code index} may remain; {@link #firstIndex()} tells where the log now starts.
     */
    public void truncateBefore(long index) throws IOException {
        checkUsable();
        boolean deleted = false;
        while (segments.size() > 1 && segments.get(1).firstIndex() <= index) {
            Files.delete(segments.get(0).path());
            segments.remove(0);
            deleted = true;
        }
        if (deleted) {
            Fsync.directory(dir);
        }
    }

    /**
     * Syncs everything appended and trims the active segment's preallocated space, then releases the files and the
     * directory lock. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        SegmentWriter writer = active;
        try (lock; writer) {
            if (failure == null) {
                writer.finish();
            }
        }
    }

    private void checkSize(byte[] payload) {
        if (payload.length > options.maxRecordBytes()) {
            throw new IllegalArgumentException("wal " + dir + ": record of " + payload.length
                    + " bytes exceeds maxRecordBytes " + options.maxRecordBytes()
                    + "; split it into smaller records or raise maxRecordBytes");
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("wal " + dir + " is closed");
        }
        if (failure != null) {
            throw new IllegalStateException("wal " + dir + " failed earlier and its state on disk is unknown;"
                    + " reopen it to recover: " + failure.getMessage(), failure);
        }
    }
}
