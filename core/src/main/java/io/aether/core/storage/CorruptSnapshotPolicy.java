package io.aether.core.storage;

/** What {@link SnapshotStore#latest()} does when the newest snapshot fails validation. */
public enum CorruptSnapshotPolicy {

    /** Throw {@link SnapshotCorruptionException} naming the file: the operator decides. The default. */
    REFUSE,

    /**
     * Log a WARNING naming the file and use the newest older snapshot that is valid. Safe only if the log still
     * holds every record after that older snapshot, i.e. the caller truncated the log only below it.
     */
    FALL_BACK_TO_OLDER
}
