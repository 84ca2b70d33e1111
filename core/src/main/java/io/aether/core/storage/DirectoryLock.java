package io.aether.core.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An exclusive lock on a directory, so that two writers never share one log. */
final class DirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "wal.lock";

    private final FileChannel channel;

    private DirectoryLock(FileChannel channel) {
        this.channel = channel;
    }

    static DirectoryLock acquire(Path dir) throws IOException {
        Path lockFile = dir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("wal directory " + dir + " is in use by another process (lock " + lockFile
                        + "); stop the other node using this data directory first");
            }
            return new DirectoryLock(channel);
        } catch (OverlappingFileLockException e) {
            IOException inUse = new IOException("wal directory " + dir
                    + " is already open in this process; close the other WriteAheadLog first", e);
            closeAfter(channel, inUse);
            throw inUse;
        } catch (IOException | RuntimeException e) {
            closeAfter(channel, e);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void closeAfter(FileChannel channel, Exception failure) {
        try {
            channel.close();
        } catch (IOException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
    }
}
