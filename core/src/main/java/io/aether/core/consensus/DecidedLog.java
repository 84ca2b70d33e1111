package io.aether.core.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The last {@code capacity} applied slots, to help laggards, serve fetches and answer batch requests. */
final class DecidedLog {
    private final Batch[] ring;
    private final Map<BatchId, Batch> byId = new HashMap<>();
    /** First slot still retained; slots below it are only in a snapshot. */
    private long firstRetained;
    /** One past the last applied slot. */
    private long end;

    DecidedLog(int capacity, long firstSlot) {
        this.ring = new Batch[capacity];
        this.firstRetained = firstSlot;
        this.end = firstSlot;
    }

    long firstRetained() {
        return firstRetained;
    }

    boolean isRetained(long slot) {
        return slot >= firstRetained && slot < end;
    }

    /** The retained batch of {@code slot}, null for a no-op. Caller checks {@link #isRetained}. */
    Batch get(long slot) {
        return ring[(int) (slot % ring.length)];
    }

    /** The content of a retained committed batch, or null. */
    Batch batch(BatchId id) {
        return byId.get(id);
    }

    /** Appends the next applied slot, evicting the oldest beyond capacity. */
    void append(long slot, Batch batchOrNull) {
        if (slot != end) {
            throw new IllegalStateException("decided log: applying slot " + slot + " but the next slot is " + end);
        }
        if (end - firstRetained == ring.length) {
            Batch evicted = ring[(int) (firstRetained % ring.length)];
            if (evicted != null) {
                byId.remove(evicted.id());
            }
            firstRetained++;
        }
        ring[(int) (slot % ring.length)] = batchOrNull;
        if (batchOrNull != null) {
            byId.put(batchOrNull.id(), batchOrNull);
        }
        end++;
    }

    /** A snapshot covers every slot before {@code nextSlot}: nothing older can be served any more. */
    void resetTo(long nextSlot) {
        for (long s = firstRetained; s < end; s++) {
            int i = (int) (s % ring.length);
            if (ring[i] != null) {
                byId.remove(ring[i].id());
            }
            ring[i] = null;
        }
        firstRetained = nextSlot;
        end = nextSlot;
    }

    /** Retained decided slots from {@code fromSlot}: at most {@code maxSlots}, stopping after {@code maxBytes}. */
    List<DecidedSlot> range(long fromSlot, int maxSlots, long maxBytes) {
        List<DecidedSlot> out = new ArrayList<>();
        long bytes = 0;
        for (long s = fromSlot; s < end && out.size() < maxSlots && bytes < maxBytes; s++) {
            Batch b = get(s);
            out.add(new DecidedSlot(s, b));
            bytes += b == null ? 0 : b.payloadBytes();
        }
        return out;
    }
}
