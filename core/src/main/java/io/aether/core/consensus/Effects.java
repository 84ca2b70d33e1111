package io.aether.core.consensus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Accumulates the effects of one step in the order the adapter must honour them. */
final class Effects {
    private final int self;
    private final int n;
    private final List<LogEntry> persist = new ArrayList<>();
    private final List<Outbound> send = new ArrayList<>();
    private final List<DecidedSlot> decided = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private Integer snapshotFrom;

    Effects(int self, int n) {
        this.self = self;
        this.n = n;
    }

    void persist(LogEntry entry) {
        persist.add(entry);
    }

    void send(int to, Message message) {
        send.add(new Outbound(to, message));
    }

    void broadcast(Message message) {
        for (int i = 0; i < n; i++) {
            if (i != self) {
                send.add(new Outbound(i, message));
            }
        }
    }

    void decided(DecidedSlot slot) {
        decided.add(slot);
    }

    void reject(Command command, String reason) {
        rejected.add(new Rejected(command, reason));
    }

    void snapshotNeededFrom(int peer) {
        snapshotFrom = peer;
    }

    /** The accumulated output; resets the accumulator. */
    Output drain() {
        if (persist.isEmpty() && send.isEmpty() && decided.isEmpty() && rejected.isEmpty() && snapshotFrom == null) {
            return Output.EMPTY;
        }
        // Output copies the lists, so the accumulators are reused.
        Output out = new Output(persist, send, decided, rejected, Optional.ofNullable(snapshotFrom));
        persist.clear();
        send.clear();
        decided.clear();
        rejected.clear();
        snapshotFrom = null;
        return out;
    }
}
