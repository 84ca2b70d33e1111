package io.aether.core.consensus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Sealed batches waiting to be committed, ordered by {@code (timestampMicros, origin, seq)} as in Rabia.
 * Tracks the slot in which this replica proposed each batch so it never proposes one batch in two
 * undecided slots. Bounded by the caller through {@link #commandCount()}.
 */
final class PendingQueue {
    /** A queued batch, when it arrived here, and the undecided slot this replica proposed it in (0: none). */
    static final class Entry {
        final Batch batch;
        final long arrivalMicros;
        long proposedInSlot;

        Entry(Batch batch, long arrivalMicros) {
            this.batch = batch;
            this.arrivalMicros = arrivalMicros;
        }
    }

    private static final Comparator<Entry> ORDER = Comparator
            .comparingLong((Entry e) -> e.batch.timestampMicros())
            .thenComparingInt(e -> e.batch.id().origin())
            .thenComparingLong(e -> e.batch.id().seq());

    private final TreeSet<Entry> ordered = new TreeSet<>(ORDER);
    private final Map<BatchId, Entry> byId = new HashMap<>();
    private int commandCount;

    int commandCount() {
        return commandCount;
    }

    int size() {
        return byId.size();
    }

    boolean contains(BatchId id) {
        return byId.containsKey(id);
    }

    Batch get(BatchId id) {
        Entry e = byId.get(id);
        return e == null ? null : e.batch;
    }

    /** Adds {@code batch} unless already queued; returns whether it was added. */
    boolean add(Batch batch, long arrivalMicros) {
        if (byId.containsKey(batch.id())) {
            return false;
        }
        Entry e = new Entry(batch, arrivalMicros);
        byId.put(batch.id(), e);
        ordered.add(e);
        commandCount += batch.commands().size();
        return true;
    }

    void remove(BatchId id) {
        Entry e = byId.remove(id);
        if (e != null) {
            ordered.remove(e);
            commandCount -= e.batch.commands().size();
        }
    }

    /** Removes {@code id} unless it is proposed in an undecided slot (then it goes when that slot decides). */
    void removeUnlessProposed(BatchId id) {
        Entry e = byId.get(id);
        if (e != null && e.proposedInSlot == 0) {
            remove(id);
        }
    }

    /** Removes every batch {@code committed} knows, unless proposed in an undecided slot. */
    void removeCommitted(CommittedBatches committed) {
        List<BatchId> drop = new ArrayList<>();
        for (Entry e : ordered) {
            if (e.proposedInSlot == 0 && committed.contains(e.batch.id())) {
                drop.add(e.batch.id());
            }
        }
        drop.forEach(this::remove);
    }

    /** True if this replica may propose {@code id} in {@code slot}: queued and not proposed in another undecided slot. */
    boolean proposable(BatchId id, long slot) {
        Entry e = byId.get(id);
        return e != null && (e.proposedInSlot == 0 || e.proposedInSlot == slot);
    }

    void markProposed(BatchId id, long slot) {
        Entry e = byId.get(id);
        if (e == null) {
            throw new IllegalStateException("slot " + slot + ": proposing batch " + id + " that is not queued");
        }
        e.proposedInSlot = slot;
    }

    /** The slot that proposed {@code id} was decided otherwise: the batch may be proposed again. */
    void unmarkProposed(BatchId id, long slot) {
        Entry e = byId.get(id);
        if (e != null && e.proposedInSlot == slot) {
            e.proposedInSlot = 0;
        }
    }

    /** The first batch in queue order that is not proposed in an undecided slot, or null. */
    Entry firstUnproposed() {
        for (Entry e : ordered) {
            if (e.proposedInSlot == 0) {
                return e;
            }
        }
        return null;
    }

    /**
     * The first batch of {@code origin} in queue order that is not proposed in an undecided slot, or null. Batches
     * of one origin are sealed in seq order with non-decreasing timestamps, so replicas holding the same batches of
     * that origin agree on it.
     */
    Entry firstUnproposedOf(int origin) {
        for (Entry e : ordered) {
            if (e.proposedInSlot == 0 && e.batch.id().origin() == origin) {
                return e;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (Entry e : ordered) {
            sb.append(e.batch.id().origin()).append('/').append(e.batch.id().seq());
            if (e.proposedInSlot != 0) {
                sb.append("@").append(e.proposedInSlot);
            }
            sb.append(' ');
        }
        return sb.append(']').toString();
    }
}
