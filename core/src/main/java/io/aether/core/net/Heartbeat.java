package io.aether.core.net;

/** Liveness of established wires: PING each interval, close a wire that has been silent for three intervals. */
final class Heartbeat {
    static final int MISSED_INTERVALS = 3;
    private static final byte[] EMPTY = new byte[0];

    private Heartbeat() {}

    /** One heartbeat tick for one wire, on its event loop. */
    static void tick(Wire wire, long intervalMs) {
        long silentMs = (System.nanoTime() - wire.lastReadNanos()) / 1_000_000;
        if (silentMs > MISSED_INTERVALS * intervalMs) {
            wire.fail("nothing received for " + silentMs + " ms (" + MISSED_INTERVALS + " heartbeat intervals of "
                    + intervalMs + " ms); the remote end is dead or stalled");
        } else {
            // A full send queue drops the PING, which is harmless: the queue being full means we are writing.
            wire.send(FrameTypes.PING, EMPTY);
        }
    }
}
