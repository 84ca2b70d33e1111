package io.aether.core.storage;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Snapshots in a directory as {@code snapshot-NNNNNNNNNNNNNNNNNNNN.snap}, named by their last included index,
 * each with a CRC32C-checked header. A save is atomic: written to a {@code .snap.tmp} file, fsynced, renamed,
 * and the directory fsynced; only the newest {@value #KEPT} are kept. A save streams the caller's data to the file
 * (never in memory whole); recovery reads it into one array, in chunks of {@value #IO_CHUNK_BYTES} bytes.
 *
 * <p>A corrupt newest snapshot is refused by default, see {@link CorruptSnapshotPolicy}. Not thread-safe: one
 * thread at a time saves or reads the newest; {@link #readData} may run beside them.
 */
public final class SnapshotStore {

    static final int KEPT = 2;
    static final int IO_CHUNK_BYTES = 1 << 20;
    /** Largest data a Java array can hold. */
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

    private static final System.Logger LOG = System.getLogger(SnapshotStore.class.getName());
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})\\.snap");
    private static final String TMP_SUFFIX = ".tmp";
    private static final String REFUSAL = "refusing to start: the log before it may already be truncated, so an"
            + " older snapshot could silently miss acknowledged writes; install a snapshot from a peer, or move this"
            + " file aside if the log still covers the older snapshot";

    private final Path dir;
    private final CorruptSnapshotPolicy policy;

    private SnapshotStore(Path dir, CorruptSnapshotPolicy policy) {
        this.dir = dir;
        this.policy = policy;
    }

    /** Opens the store with {@link CorruptSnapshotPolicy#REFUSE}. */
    public static SnapshotStore open(Path dir) throws IOException {
        return open(dir, CorruptSnapshotPolicy.REFUSE);
    }

    /** Opens the store in {@code dir}, creating it if needed, and deletes temporary files of interrupted saves. */
    public static SnapshotStore open(Path dir, CorruptSnapshotPolicy policy) throws IOException {
        Objects.requireNonNull(policy, "policy");
        Path absolute = dir.toAbsolutePath();
        if (!Files.isDirectory(absolute)) {
            Files.createDirectories(absolute);
            Fsync.directory(absolute.getParent());
        }
        boolean deleted = false;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(absolute, "snapshot-*.snap" + TMP_SUFFIX)) {
            for (Path leftover : leftovers) {
                Files.delete(leftover);
                deleted = true;
                LOG.log(System.Logger.Level.INFO, "snapshot store " + absolute + ": deleted " + leftover.getFileName()
                        + ", left by a save that did not complete");
            }
        }
        if (deleted) {
            Fsync.directory(absolute);
        }
        return new SnapshotStore(absolute, policy);
    }

    /** What {@link #save(long, Contents)} writes: the snapshot's data, streamed. */
    @FunctionalInterface
    public interface Contents {
        /** Writes the data to {@code out}, which it does not close. */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Durably stores {@code data} as the state up to {@code lastIncludedIndex}; see {@link #save(long, Contents)}.
     */
    public long save(long lastIncludedIndex, byte[] data) throws IOException {
        return save(lastIncludedIndex, out -> out.write(data));
    }

    /**
     * Durably stores the state up to {@code lastIncludedIndex}, streamed from {@code contents} to the file (the
     * data is never in memory whole); when this returns, the snapshot survives a crash. Saving the same index
     * again replaces it.
     *
     * @return the number of data bytes written
     * @throws IllegalArgumentException if {@code lastIncludedIndex} is negative or older than the newest saved
     */
    public long save(long lastIncludedIndex, Contents contents) throws IOException {
        if (lastIncludedIndex < 0) {
            throw new IllegalArgumentException("snapshot index " + lastIncludedIndex + " is negative");
        }
        List<Entry> existing = list();
        if (!existing.isEmpty() && existing.get(0).lastIncludedIndex() > lastIncludedIndex) {
            throw new IllegalArgumentException("snapshot store " + dir + ": index " + lastIncludedIndex
                    + " is older than the newest saved snapshot " + existing.get(0).lastIncludedIndex()
                    + "; snapshots only move forward");
        }
        Path target = fileFor(lastIncludedIndex);
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        long dataBytes;
        try {
            dataBytes = writeFile(tmp, lastIncludedIndex, contents);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Fsync.directory(dir);
        deleteAllButNewest();
        return dataBytes;
    }

    /** Streams the data after a header-sized gap, then writes the header (length, CRC) in front and forces. */
    private static long writeFile(Path file, long lastIncludedIndex, Contents contents) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            channel.position(SnapshotHeader.BYTES);
            ChecksummedOutput data = new ChecksummedOutput(
                    new BufferedOutputStream(Channels.newOutputStream(channel), IO_CHUNK_BYTES));
            contents.writeTo(data);
            data.flush();
            if (data.bytes > MAX_DATA_BYTES) {
                throw new IOException("snapshot " + file + ": " + data.bytes + " data bytes exceed the "
                        + MAX_DATA_BYTES + " that recovery reads into one array");
            }
            ByteBuffer header = new SnapshotHeader(lastIncludedIndex, data.bytes, (int) data.crc.getValue()).encode();
            for (long at = 0; header.hasRemaining(); ) {
                at += channel.write(header, at);
            }
            channel.force(false);
            return data.bytes;
        }
    }

    /** Counts and checksums what passes through; writes go on unbuffered to the (buffered) stream below. */
    private static final class ChecksummedOutput extends FilterOutputStream {
        final CRC32C crc = new CRC32C();
        long bytes;

        ChecksummedOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            bytes += len;
        }
    }

    /** The data bytes of the saved snapshot {@code lastIncludedIndex}, or -1 when it is not kept. */
    public long dataBytes(long lastIncludedIndex) throws IOException {
        try {
            return Files.size(fileFor(lastIncludedIndex)) - SnapshotHeader.BYTES;
        } catch (NoSuchFileException gone) {
            return -1;
        }
    }

    /**
     * Reads data bytes of the saved snapshot {@code lastIncludedIndex} from {@code offset} into {@code into}
     * (until it is full or the data ends), for a peer that installs it; safe beside a {@link #save} on another
     * thread.
     *
     * @return the bytes read, or -1 when that snapshot is no longer kept
     */
    public int readData(long lastIncludedIndex, long offset, ByteBuffer into) throws IOException {
        try (FileChannel channel = FileChannel.open(fileFor(lastIncludedIndex), StandardOpenOption.READ)) {
            int read = 0;
            long at = SnapshotHeader.BYTES + offset;
            while (into.hasRemaining()) {
                int n = channel.read(into, at);
                if (n < 0) {
                    break;
                }
                read += n;
                at += n;
            }
            return read;
        } catch (NoSuchFileException gone) {
            return -1;
        }
    }

    private void deleteAllButNewest() throws IOException {
        List<Entry> snapshots = list();
        for (Entry old : snapshots.subList(Math.min(KEPT, snapshots.size()), snapshots.size())) {
            Files.delete(old.file());
        }
        if (snapshots.size() > KEPT) {
            Fsync.directory(dir);
        }
    }

    /**
     * The newest snapshot, validated; empty when none was ever saved.
     *
     * @throws SnapshotCorruptionException if the newest is damaged (naming it), or with
     *                                     {@link CorruptSnapshotPolicy#FALL_BACK_TO_OLDER} if every one is
     */
    public Optional<Snapshot> latest() throws IOException {
        List<Entry> snapshots = list();
        SnapshotCorruptionException newestFailure = null;
        for (Entry entry : snapshots) {
            try {
                return Optional.of(read(entry));
            } catch (SnapshotCorruptionException e) {
                if (policy == CorruptSnapshotPolicy.REFUSE) {
                    throw e;
                }
                LOG.log(System.Logger.Level.WARNING, e.getMessage() + " (falling back to an older snapshot)");
                if (newestFailure == null) {
                    newestFailure = e;
                } else {
                    newestFailure.addSuppressed(e);
                }
            }
        }
        if (newestFailure != null) {
            throw new SnapshotCorruptionException(newestFailure.file(), "damaged, and so is every older snapshot",
                    REFUSAL);
        }
        return Optional.empty();
    }

    private Snapshot read(Entry entry) throws IOException {
        Path file = entry.file();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < SnapshotHeader.BYTES) {
                throw new SnapshotCorruptionException(file, "only " + size + " bytes, shorter than its "
                        + SnapshotHeader.BYTES + "-byte header", REFUSAL);
            }
            ByteBuffer headerBytes = ByteBuffer.allocate(SnapshotHeader.BYTES);
            readFully(file, channel, headerBytes, 0);
            SnapshotHeader.Decoded decoded = SnapshotHeader.decode(headerBytes.array());
            if (decoded instanceof SnapshotHeader.Decoded.Invalid invalid) {
                throw new SnapshotCorruptionException(file, invalid.reason(), REFUSAL);
            }
            SnapshotHeader header = ((SnapshotHeader.Decoded.Valid) decoded).header();
            if (header.lastIncludedIndex() != entry.lastIncludedIndex()) {
                throw new SnapshotCorruptionException(file, "header says index " + header.lastIncludedIndex()
                        + " but the file name says " + entry.lastIncludedIndex(), REFUSAL);
            }
            long dataBytes = size - SnapshotHeader.BYTES;
            if (header.dataBytes() != dataBytes || dataBytes > MAX_DATA_BYTES) {
                throw new SnapshotCorruptionException(file, "header says " + header.dataBytes()
                        + " data bytes but the file holds " + dataBytes, REFUSAL);
            }
            byte[] data = new byte[(int) dataBytes];
            for (int offset = 0; offset < data.length; offset += IO_CHUNK_BYTES) {
                int chunk = Math.min(IO_CHUNK_BYTES, data.length - offset);
                readFully(file, channel, ByteBuffer.wrap(data, offset, chunk), SnapshotHeader.BYTES + (long) offset);
            }
            CRC32C crc = new CRC32C();
            crc.update(data);
            if ((int) crc.getValue() != header.dataCrc()) {
                throw new SnapshotCorruptionException(file, "data crc mismatch", REFUSAL);
            }
            return new Snapshot(header.lastIncludedIndex(), data);
        }
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("snapshot " + file + ": file ended at " + at + " while reading; was it truncated by another process?");
            }
            at += read;
        }
    }

    private record Entry(Path file, long lastIncludedIndex) {}

    /** Snapshot files, newest first. */
    private List<Entry> list() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot-*.snap")) {
            for (Path file : files) {
                Matcher name = NAME.matcher(file.getFileName().toString());
                if (name.matches()) {
                    entries.add(new Entry(file, parseIndex(file, name.group(1))));
                }
            }
        }
        entries.sort(Comparator.comparingLong(Entry::lastIncludedIndex).reversed());
        return entries;
    }

    private static long parseIndex(Path file, String digits) throws IOException {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IOException("snapshot " + file + ": index in the name does not fit a signed 64-bit number;"
                    + " move the file out of the directory", e);
        }
    }

    private Path fileFor(long lastIncludedIndex) {
        return dir.resolve(String.format("snapshot-%020d.snap", lastIncludedIndex));
    }
}
