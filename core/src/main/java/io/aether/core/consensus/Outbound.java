package io.aether.core.consensus;

import java.util.List;
import java.util.Objects;

/** A message to send to the replica with index {@code to}. */
public record Outbound(int to, Message message) {
    public Outbound {
        Objects.requireNonNull(message, "message");
    }

    /** Expands {@code message} to one outbound per replica other than {@code self}, in index order. */
    public static List<Outbound> broadcast(int self, int n, Message message) {
        Outbound[] out = new Outbound[n - 1];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (i != self) {
                out[k++] = new Outbound(i, message);
            }
        }
        return List.of(out);
    }
}
