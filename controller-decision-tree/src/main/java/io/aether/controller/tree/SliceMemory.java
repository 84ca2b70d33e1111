package io.aether.controller.tree;

/**
 * What L1 remembers about one slice between evaluations: when it last scaled it either way (its own decisions
 * and changes it saw others make to the blueprint), and the previous second's in-flight count (its growth is the
 * queue the completed-calls rate cannot show). Everything else is read from the context each second.
 */
final class SliceMemory {

    static final long NEVER = Long.MIN_VALUE / 4;

    long lastUpSecond = NEVER;
    long lastDownSecond = NEVER;
    private int lastSeenInstances = -1;
    private int requestedInstances = -1;
    long inFlightSecond = NEVER;
    int inFlight;

    /** Notes the blueprint's instance count; a change L1 did not ask for counts as a scale at {@code now}. */
    void observe(int instances, long now) {
        if (lastSeenInstances >= 0 && instances != lastSeenInstances && instances != requestedInstances) {
            if (instances > lastSeenInstances) {
                lastUpSecond = now;
            } else {
                lastDownSecond = now;
            }
        }
        lastSeenInstances = instances;
    }

    void decided(int from, int to, long now) {
        if (to > from) {
            lastUpSecond = now;
        } else {
            lastDownSecond = now;
        }
        requestedInstances = to;
    }

    long lastChangeSecond() {
        return Math.max(lastUpSecond, lastDownSecond);
    }
}
