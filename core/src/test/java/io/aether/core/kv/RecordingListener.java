package io.aether.core.kv;

import java.util.ArrayList;
import java.util.List;

/** Records what a watch delivered: one (revision, events) pair per call. */
class RecordingListener implements WatchListener {

    record Delivery(long revision, List<WatchEvent> events) {
    }

    final List<Delivery> deliveries = new ArrayList<>();
    RuntimeException cancelledBy;

    @Override
    public void onRevision(long revision, List<WatchEvent> events) {
        deliveries.add(new Delivery(revision, List.copyOf(events)));
    }

    @Override
    public void onCancelled(RuntimeException cause) {
        cancelledBy = cause;
    }

    List<Long> revisions() {
        return deliveries.stream().map(Delivery::revision).toList();
    }

    List<String> keys() {
        return deliveries.stream().flatMap(d -> d.events().stream()).map(e -> e.kv().key()).toList();
    }
}
