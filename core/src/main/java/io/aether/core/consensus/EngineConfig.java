package io.aether.core.consensus;

/**
 * Static configuration of one replica's engine. {@code n = 2f+1} replicas indexed {@code 0..n-1}.
 *
 * @param selfIndex          this replica's index
 * @param n                  number of replicas (odd, 1..63)
 * @param coinSeed           cluster-wide seed of the common coin; identical on every replica
 * @param maxBatchCommands   a batch is sealed when it holds this many commands
 * @param maxBatchBytes      a batch is sealed before its payload bytes would exceed this; larger commands are rejected
 * @param maxPendingCommands commands this replica queues (own and relayed); beyond it submits are rejected
 * @param pipelineDepth      slots in flight at once
 * @param proposeDelayMicros a batch waits this long after arriving before this replica starts a slot for it
 * @param batchDelayMicros   an open batch is sealed once its oldest command is this old
 * @param retransmitMicros   latest messages of a slot without progress are re-sent this often
 * @param maxFetchSlots      decided slots per fetch response
 * @param retainDecidedSlots decided slots kept to help laggards; older ones require a snapshot
 */
public record EngineConfig(int selfIndex, int n, long coinSeed, int maxBatchCommands, int maxBatchBytes,
                           int maxPendingCommands, int pipelineDepth, long proposeDelayMicros,
                           long batchDelayMicros, long retransmitMicros, int maxFetchSlots,
                           int retainDecidedSlots) {
    /** Largest supported cluster; keeps per-slot tallies small. */
    public static final int MAX_REPLICAS = 63;

    public EngineConfig {
        if (n < 1 || n > MAX_REPLICAS || n % 2 == 0) {
            throw new IllegalArgumentException("engine config: n must be odd and in 1.." + MAX_REPLICAS
                    + " (n = 2f+1), got " + n);
        }
        if (selfIndex < 0 || selfIndex >= n) {
            throw new IllegalArgumentException("engine config: selfIndex must be in 0.." + (n - 1) + ", got " + selfIndex);
        }
        positive("maxBatchCommands", maxBatchCommands);
        positive("maxBatchBytes", maxBatchBytes);
        positive("pipelineDepth", pipelineDepth);
        positive("retransmitMicros", retransmitMicros);
        positive("maxFetchSlots", maxFetchSlots);
        notNegative("proposeDelayMicros", proposeDelayMicros);
        notNegative("batchDelayMicros", batchDelayMicros);
        if (maxPendingCommands < maxBatchCommands) {
            throw new IllegalArgumentException("engine config: maxPendingCommands (" + maxPendingCommands
                    + ") must be >= maxBatchCommands (" + maxBatchCommands + ") or no batch could ever fill");
        }
        if (retainDecidedSlots < pipelineDepth) {
            throw new IllegalArgumentException("engine config: retainDecidedSlots (" + retainDecidedSlots
                    + ") must be >= pipelineDepth (" + pipelineDepth + ") so peers in the window can be helped");
        }
    }

    /** Sensible production defaults for replica {@code selfIndex} of {@code n}. */
    public static EngineConfig defaults(int selfIndex, int n, long coinSeed) {
        return new EngineConfig(selfIndex, n, coinSeed, 512, 1 << 20, 65_536, 32, 200, 500, 20_000, 256, 10_000);
    }

    /** f: the number of crashed replicas tolerated. */
    public int maxFaulty() {
        return (n - 1) / 2;
    }

    /** n - f: how many proposals, states or votes a replica waits for. */
    public int quorum() {
        return n - maxFaulty();
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("engine config: " + name + " must be > 0, got " + value);
        }
    }

    private static void notNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("engine config: " + name + " must be >= 0, got " + value);
        }
    }
}
