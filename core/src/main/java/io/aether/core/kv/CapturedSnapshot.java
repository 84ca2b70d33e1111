package io.aether.core.kv;

import java.util.function.Consumer;

/**
 * A state machine's state captured at one applied slot ({@link KvStateMachine#snapshotLater()}), encoded later,
 * on any thread, as the bytes {@link KvStateMachine#restore} reads. It is handed out in pieces of about 64 KiB,
 * so the snapshot is never in memory whole; the caller does the I/O (this package does none).
 */
@FunctionalInterface
public interface CapturedSnapshot {

    /** Passes the snapshot's bytes to {@code sink}, in order; each array is the sink's to keep. */
    void writeTo(Consumer<byte[]> sink);
}
