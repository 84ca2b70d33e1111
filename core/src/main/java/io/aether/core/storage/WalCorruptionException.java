package io.aether.core.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The log holds damaged data that cannot be explained by a crash during an unsynced write, so dropping it could
 * lose acknowledged records. The message names the file, the byte offset and what to do.
 */
public final class WalCorruptionException extends IOException {

    private final Path segment;
    private final long offset;

    /** Message: {@code wal segment <file>: <problem> at offset <offset> <detail>; <consequence>}. */
    WalCorruptionException(Path segment, long offset, String problem, String detail, String consequence) {
        super("wal segment " + segment + ": " + problem + " at offset " + offset + " " + detail + "; " + consequence);
        this.segment = segment;
        this.offset = offset;
    }

    /** The segment file holding the damage. */
    public Path segment() {
        return segment;
    }

    /** Byte offset of the damage within {@link #segment()}. */
    public long offset() {
        return offset;
    }
}
