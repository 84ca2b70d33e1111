package io.aether.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
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
 * and the directory fsynced; only the newest {@value #KEPT} are kept. Data moves between the caller's array and
 * the file in chunks of {@value #IO_CHUNK_BYTES} bytes, so a snapshot is in memory once.
 *
 * <p>A corrupt newest snapshot is refused by default, see {@link CorruptSnapshotPolicy}. Not thread-safe: one
 * thread owns the store.
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

    /**
     * Durably stores {@code data} as the state up to {@code lastIncludedIndex}; when this returns, the snapshot
     * survives a crash. Saving the same index again replaces it.
     *
     * @throws IllegalArgumentException if {@code lastIncludedIndex} is negative or older than the newest saved
     */
    public void save(long lastIncludedIndex, byte[] data) throws IOException {
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
        CRC32C crc = new CRC32C();
        crc.update(data);
        SnapshotHeader header = new SnapshotHeader(lastIncludedIndex, data.length, (int) crc.getValue());
        try {
            writeFile(tmp, header, data);
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
    }

    private static void writeFile(Path file, SnapshotHeader header, byte[] data) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(channel, header.encode());
            for (int offset = 0; offset < data.length; offset += IO_CHUNK_BYTES) {
                writeFully(channel, ByteBuffer.wrap(data, offset, Math.min(IO_CHUNK_BYTES, data.length - offset)));
            }
            channel.force(false);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
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
