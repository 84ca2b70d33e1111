package io.aether.core.consensus;

import java.util.Arrays;
import java.util.Objects;

/**
 * A client command. Identity is {@code (clientId, seq)}; the payload is opaque to the engine.
 *
 * <p>The payload array is owned by the command once constructed: callers must not mutate it.
 */
public record Command(long clientId, long seq, byte[] payload) {
    public Command {
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command c && c.clientId == clientId && c.seq == seq && Arrays.equals(c.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(clientId) * 31 + Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "Command[" + clientId + "/" + seq + ", " + payload.length + " bytes]";
    }
}
