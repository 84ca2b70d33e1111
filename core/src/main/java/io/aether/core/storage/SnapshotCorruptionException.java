package io.aether.core.storage;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file failed validation; the message names the file, what is wrong and what to do. */
public final class SnapshotCorruptionException extends IOException {

    private final Path file;

    SnapshotCorruptionException(Path file, String problem, String consequence) {
        super("snapshot " + file + ": " + problem + "; " + consequence);
        this.file = file;
    }

    /** The damaged snapshot file. */
    public Path file() {
        return file;
    }
}
