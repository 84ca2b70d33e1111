package io.aether.core.kv;

import java.util.ArrayList;
import java.util.List;

/** The active watches and the delivery of each revision's events to the ones whose prefix they touch. */
final class WatchRegistry {

    private static final System.Logger LOG = System.getLogger(WatchRegistry.class.getName());

    /** One watch: delivers revisions at or after {@code fromRevision} under {@code prefix}. */
    final class Registration implements Watch {
        private final String prefix;
        private final long fromRevision;
        private final WatchListener listener;
        private boolean cancelled;
        private boolean registered;

        Registration(String prefix, long fromRevision, WatchListener listener) {
            this.prefix = prefix;
            this.fromRevision = fromRevision;
            this.listener = listener;
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                if (registered) {
                    active--;
                    hasCancelled = true;
                }
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public String prefix() {
            return prefix;
        }

        /** Hands over the revision's matching events, if any; exceptions reach the caller. */
        void offer(long revision, List<WatchEvent> events) {
            if (cancelled || revision < fromRevision) {
                return;
            }
            List<WatchEvent> matching = matching(events);
            if (!matching.isEmpty()) {
                listener.onRevision(revision, matching);
            }
        }

        /** The events under the prefix; the list itself when all are (the common case of one event). */
        private List<WatchEvent> matching(List<WatchEvent> events) {
            int matches = 0;
            for (WatchEvent event : events) {
                if (event.kv().key().startsWith(prefix)) {
                    matches++;
                }
            }
            if (matches == events.size()) {
                return events;
            }
            List<WatchEvent> matching = new ArrayList<>(matches);
            for (WatchEvent event : events) {
                if (event.kv().key().startsWith(prefix)) {
                    matching.add(event);
                }
            }
            return matching;
        }
    }

    private final int maxWatches;
    private final ArrayList<Registration> registrations = new ArrayList<>();
    private int active;
    private boolean hasCancelled;

    WatchRegistry(int maxWatches) {
        this.maxWatches = maxWatches;
    }

    Registration create(String prefix, long fromRevision, WatchListener listener) {
        purgeCancelled();
        if (active >= maxWatches) {
            throw new WatchLimitException("cannot watch '" + Validation.shown(prefix) + "': " + active
                    + " watches are active and the limit is " + maxWatches + "; cancel unused watches");
        }
        return new Registration(prefix, fromRevision, listener);
    }

    /** Makes a created watch live (after its history was delivered). */
    void add(Registration registration) {
        if (registration.cancelled) {
            return;
        }
        registration.registered = true;
        registrations.add(registration);
        active++;
    }

    /** Delivers one revision to every live watch; a listener that throws is cancelled and told why. */
    void deliver(long revision, List<WatchEvent> events) {
        for (int i = 0; i < registrations.size(); i++) {
            Registration registration = registrations.get(i);
            try {
                registration.offer(revision, events);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "watch on prefix '" + Validation.shown(registration.prefix)
                        + "' threw while receiving revision " + revision + "; cancelling it", e);
                registration.cancel();
                notifyCancelled(registration, e);
            }
        }
        purgeCancelled();
    }

    private static void notifyCancelled(Registration registration, RuntimeException cause) {
        try {
            registration.listener.onCancelled(cause);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "watch on prefix '" + Validation.shown(registration.prefix)
                    + "' threw from onCancelled as well; it stays cancelled", e);
        }
    }

    private void purgeCancelled() {
        if (hasCancelled) {
            registrations.removeIf(Registration::isCancelled);
            hasCancelled = false;
        }
    }
}
