package io.aether.core.replica;

/**
 * A replica's health as probes and the status API see it.
 *
 * @param nodeId          this node
 * @param voters          size of the voter set
 * @param connectedPeers  voters (other than this one) with a live link
 * @param quorumReachable this node plus its connected peers form a majority
 * @param appliedSlot     last slot applied to the state machine
 * @param highestSeenSlot highest slot any peer has spoken about
 * @param caughtUp        applied within a pipeline's width of the highest slot seen
 * @param revision        the KV's revision
 * @param failure         why the replica stopped, or empty while it runs
 */
public record ReplicaStatus(String nodeId, int voters, int connectedPeers, boolean quorumReachable, long appliedSlot,
                            long highestSeenSlot, boolean caughtUp, long revision, String failure) {

    /** Ready to serve: a quorum is reachable, the replica is caught up and has not failed. */
    public boolean ready() {
        return quorumReachable && caughtUp && failure.isEmpty();
    }
}
