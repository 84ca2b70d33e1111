package io.aether.core.storage;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link WriteAheadLog#open} found and repaired.
 *
 * @param segmentCount  segments in the log after recovery
 * @param firstIndex    as {@link WriteAheadLog#firstIndex()} right after open
 * @param lastIndex     as {@link WriteAheadLog#lastIndex()} right after open
 * @param truncatedTail the torn tail cut off the last segment, if there was one
 */
public record RecoveryReport(int segmentCount, long firstIndex, long lastIndex, Optional<TruncatedTail> truncatedTail) {

    /**
     * An incomplete or garbled end of the last segment, with no valid record after it, left by a crash during a
     * write that was never synced; it was cut off.
     *
     * @param segment      the file that was shortened
     * @param offset       its new length: where the first invalid byte was
     * @param bytesDropped how many bytes were cut off
     * @param reason       what was wrong at {@code offset}
     */
    public record TruncatedTail(Path segment, long offset, long bytesDropped, String reason) {}
}
