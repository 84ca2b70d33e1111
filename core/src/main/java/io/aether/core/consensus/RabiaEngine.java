package io.aether.core.consensus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Rabia replica as a pure state machine: {@code step(input) -> output}. No I/O, no thread, no clock,
 * no randomness beyond the common coin (a pure function of slot and round). Not thread-safe: the adapter
 * calls {@link #step} from one thread. See {@link Output} for the persist → send → apply contract and
 * {@code docs/consensus.md} for the rules.
 */
public final class RabiaEngine {
    private static final System.Logger LOG = System.getLogger(RabiaEngine.class.getName());
    private static final long LONG_AGO = Long.MIN_VALUE / 4;

    private final EngineConfig cfg;
    private final DecisionRules rules;
    private final int self;
    private final int n;
    private final int f;
    private final int quorum;
    private final int depth;
    private final SlotInstance[] window;
    private final PendingQueue pending = new PendingQueue();
    private final DecidedLog decidedLog;
    private final CommittedBatches committed;
    private final ArrayDeque<Input.Receive> future = new ArrayDeque<>();
    private final int maxFuture;
    private final Effects fx;

    private long nextApply;
    private long nowMicros;
    private long lastBatchSeq;
    private final List<Command> open = new ArrayList<>();
    private long openBytes;
    private long openSinceMicros;

    /** When a message from each peer last arrived; a slot's owner silent for {@link #ownerTimeoutMicros} is presumed down. */
    private final long[] lastHeardMicros;
    private final long ownerTimeoutMicros;

    private int fetchPeer = -1;
    private long lastFetchMicros = LONG_AGO;
    /**
     * After a snapshot, the batches it committed are unknown here: until a peer that applied at least this slot
     * sends its committed summary (-1: not waiting), this replica proposes only "empty" and queues no relayed
     * batch, so it cannot help commit a batch twice.
     */
    private long summaryNeededThrough = -1;
    private long lastSummaryRequestMicros = LONG_AGO;
    private long summaryWaitSinceMicros = LONG_AGO;
    /** Retransmit periods of silence after which a slot's owner is presumed down and others start its slots. */
    static final int OWNER_TIMEOUT_PERIODS = 5;
    /** Retransmit periods to wait for a committed summary before proceeding without one (see docs). */
    static final int SUMMARY_WAIT_PERIODS = 50;
    /**
     * Consecutive no-op slots after which this replica stops pipelining its own proposals. With several slots in
     * flight, replicas holding the same batches can still pair them with slots differently (each re-assigns the
     * batches a no-op slot returns in its own order); every slot then sees differing proposals, decides no-op, and
     * the mismatch repeats forever. Proposing only at the head of the window, once the window is empty, makes every
     * replica propose the head of the same ordered queue for the same slot, as in the paper's unpipelined
     * protocol; the first committed slot restores pipelining. Every replica applies the same slots, so all of them
     * switch at the same slot.
     */
    private int nullStreak;
    private long gapSlot = -1;
    private long gapSinceMicros;

    /** Fed to {@link DecisionRules#initialState}; the paper's rules ignore it. */
    private int previousSlotFinalState;
    private BatchId previousSlotCandidate;

    /** An empty replica starting at slot 1. */
    public RabiaEngine(EngineConfig cfg) {
        this(cfg, DecisionRules.PAPER, 0);
    }

    RabiaEngine(EngineConfig cfg, DecisionRules rules, long snapshotSlot) {
        this.cfg = cfg;
        this.rules = rules;
        this.self = cfg.selfIndex();
        this.n = cfg.n();
        this.f = cfg.maxFaulty();
        this.quorum = cfg.quorum();
        this.depth = cfg.pipelineDepth();
        this.window = new SlotInstance[depth];
        this.maxFuture = depth * n * 4;
        this.nextApply = snapshotSlot + 1;
        this.decidedLog = new DecidedLog(cfg.retainDecidedSlots(), nextApply);
        this.committed = new CommittedBatches(n);
        this.fx = new Effects(self, n);
        this.lastHeardMicros = new long[n];
        java.util.Arrays.fill(lastHeardMicros, LONG_AGO);
        this.ownerTimeoutMicros = OWNER_TIMEOUT_PERIODS * cfg.retransmitMicros();
    }

    /**
     * Rebuilds a replica from its snapshot slot and the WAL entries after it (in WAL order). The adapter has
     * restored the state machine and replays the {@code DecidedEntry} payloads itself; the engine resumes its
     * in-flight slots with exactly the values it persisted and re-sends them on the first tick.
     */
    public static RabiaEngine recover(EngineConfig cfg, long snapshotSlot, List<LogEntry> entriesAfterSnapshot) {
        return recover(cfg, DecisionRules.PAPER, snapshotSlot, entriesAfterSnapshot);
    }

    static RabiaEngine recover(EngineConfig cfg, DecisionRules rules, long snapshotSlot, List<LogEntry> entries) {
        if (snapshotSlot < 0) {
            throw new IllegalArgumentException("recover: snapshotSlot must be >= 0, got " + snapshotSlot);
        }
        RabiaEngine e = new RabiaEngine(cfg, rules, snapshotSlot);
        long knownThrough = e.replay(snapshotSlot, entries);
        if (knownThrough < snapshotSlot) {
            e.summaryNeededThrough = snapshotSlot; // the WAL no longer says what the snapshot committed
        }
        return e;
    }

    /**
     * Applies one input; the result must be handled as described on {@link Output}.
     *
     * @throws IllegalArgumentException if the input names an invalid peer
     * @throws IllegalStateException    if peers' messages contradict a protocol invariant (two different decisions
     *                                  or majority batches for one slot): a bug or a replica that lost WAL entries;
     *                                  the replica must stop rather than apply anything more
     */
    public Output step(Input input) {
        switch (input.kind()) {
            case SUBMIT -> onSubmit(((Input.Submit) input).command());
            case RECEIVE -> {
                Input.Receive r = (Input.Receive) input;
                if (r.from() < 0 || r.from() >= n || r.from() == self) {
                    throw new IllegalArgumentException("replica " + self + ": message from invalid peer index "
                            + r.from() + " (n = " + n + ")");
                }
                lastHeardMicros[r.from()] = nowMicros;
                onReceive(r.from(), r.message());
            }
            case TICK -> onTick(((Input.Tick) input).nowMicros());
            case SNAPSHOT_INSTALLED -> onSnapshotInstalled(((Input.SnapshotInstalled) input).lastIncludedSlot());
        }
        settle();
        return fx.drain();
    }

    // ---- introspection for tests and metrics

    /** The next slot to apply; every slot below it has been emitted as decided (or covered by a snapshot). */
    public long nextApplySlot() {
        return nextApply;
    }

    /** Commands waiting: queued batches plus the open batch. */
    public int pendingCommandCount() {
        return pending.commandCount() + open.size();
    }

    /** A one-line summary of the engine's state, for diagnostics. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RabiaEngine[replica ").append(self).append(", nextApply ").append(nextApply)
                .append(", pending ").append(pending).append(", open ").append(open.size()).append(", slots");
        for (SlotInstance inst : window) {
            if (inst != null) {
                sb.append(' ').append(inst);
            }
        }
        return sb.append(", future ").append(future.size()).append(']').toString();
    }

    // ---- client commands and batching

    private void onSubmit(Command cmd) {
        int len = cmd.payload().length;
        if (len > cfg.maxBatchBytes()) {
            fx.reject(cmd, "command " + cmd.clientId() + "/" + cmd.seq() + ": payload of " + len
                    + " bytes exceeds maxBatchBytes " + cfg.maxBatchBytes() + "; split the command");
            return;
        }
        int queued = pendingCommandCount();
        if (queued >= cfg.maxPendingCommands()) {
            fx.reject(cmd, "replica " + self + ": pending queue full (" + queued + " commands, maxPendingCommands "
                    + cfg.maxPendingCommands() + "); retry later");
            return;
        }
        if (!open.isEmpty() && openBytes + len > cfg.maxBatchBytes()) {
            seal();
        }
        if (open.isEmpty()) {
            openSinceMicros = nowMicros;
        }
        open.add(cmd);
        openBytes += len;
        if (open.size() >= cfg.maxBatchCommands() || openBytes >= cfg.maxBatchBytes()) {
            seal();
        }
    }

    /**
     * The own batch this replica proposes next in one of its own slots: its oldest unproposed own batch, else the
     * open batch, sealed now; null when it has none. Sealing when a slot is free rather than on a timer makes
     * batches grow with the load instead of queuing.
     */
    private Batch nextOwnBatch() {
        PendingQueue.Entry queued = pending.firstUnproposedOf(self);
        if (queued != null) {
            return queued.batch;
        }
        return open.isEmpty() ? null : seal();
    }

    private boolean hasOwnWork() {
        return pending.firstUnproposedOf(self) != null
                || (!open.isEmpty() && nowMicros - openSinceMicros >= cfg.batchDelayMicros());
    }

    private Batch seal() {
        Batch batch = new Batch(new BatchId(self, ++lastBatchSeq), openSinceMicros, open);
        open.clear();
        openBytes = 0;
        fx.persist(new LogEntry.BatchSealed(batch.id()));
        fx.broadcast(new Message.Forward(batch));
        pending.add(batch, nowMicros);
        return batch;
    }

    /** A batch's content arrived (forward or response): complete waiting slots, else queue it if there is room. */
    private void acceptBatch(Batch batch) {
        BatchId id = batch.id();
        for (SlotInstance inst : window) {
            if (inst != null && inst.isDecided() && inst.decidedValue == 1 && inst.decidedBatch == null
                    && id.equals(inst.candidate)) {
                inst.decidedBatch = batch;
            }
        }
        if (committed.contains(id) || pending.contains(id) || summaryNeededThrough >= 0) {
            return;
        }
        if (pendingCommandCount() + batch.commands().size() > cfg.maxPendingCommands()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "replica " + self + ": pending queue full, not queuing batch " + id
                    + "; it is fetched again by id if a proposal or decision names it");
            return;
        }
        pending.add(batch, nowMicros);
    }

    private Batch findBatch(BatchId id) {
        Batch b = pending.get(id);
        if (b == null) {
            b = decidedLog.batch(id);
        }
        if (b == null) {
            for (SlotInstance inst : window) {
                if (inst != null && inst.myProposal != null && inst.myProposal.id().equals(id)) {
                    return inst.myProposal;
                }
                if (inst != null && inst.decidedBatch != null && inst.decidedBatch.id().equals(id)) {
                    return inst.decidedBatch;
                }
            }
        }
        return b;
    }

    // ---- messages

    private void onReceive(int from, Message m) {
        switch (m.kind()) {
            case FORWARD -> acceptBatch(((Message.Forward) m).batch());
            case BATCH_RESPONSE -> acceptBatch(((Message.BatchResponse) m).batch());
            case BATCH_REQUEST -> {
                Batch b = findBatch(((Message.BatchRequest) m).id());
                if (b != null) {
                    fx.send(from, new Message.BatchResponse(b));
                }
            }
            case PROPOSAL -> onSlotMessage(from, m, ((Message.Proposal) m).slot());
            case STATE -> onSlotMessage(from, m, ((Message.State) m).slot());
            case VOTE -> onSlotMessage(from, m, ((Message.Vote) m).slot());
            case DECIDED -> {
                Message.Decided d = (Message.Decided) m;
                onDecided(from, d.slot(), d.batchOrNullForNoop(), m);
            }
            case BATCH_COMMITTED -> {
                BatchId id = ((Message.BatchCommitted) m).id();
                committed.add(id);
                pending.removeUnlessProposed(id);
            }
            case COMMITTED_REQUEST -> {
                if (summaryNeededThrough < 0 && nextApply - 1 >= ((Message.CommittedRequest) m).throughSlot()) {
                    fx.send(from, new Message.CommittedSummary(nextApply - 1, committed.summary()));
                }
            }
            case COMMITTED_SUMMARY -> {
                Message.CommittedSummary cs = (Message.CommittedSummary) m;
                if (summaryNeededThrough >= 0 && cs.appliedThroughSlot() >= summaryNeededThrough) {
                    committed.merge(cs.origins());
                    pending.removeCommitted(committed);
                    fx.persist(new LogEntry.CommittedKnown(cs.appliedThroughSlot(), committed.summary()));
                    summaryNeededThrough = -1;
                    summaryWaitSinceMicros = LONG_AGO;
                }
            }
            case FETCH_REQUEST -> serveFetch(from, ((Message.FetchRequest) m).fromSlot());
            case FETCH_RESPONSE -> {
                for (DecidedSlot ds : ((Message.FetchResponse) m).slots()) {
                    onDecided(from, ds.slot(), ds.batchOrNullForNoop(), null);
                    applyReady();
                }
            }
            case SNAPSHOT_REQUIRED -> {
                long first = ((Message.SnapshotRequired) m).firstRetainedSlot();
                if (first > nextApply) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "replica " + self + ": peer " + from
                            + " truncated its log before slot " + first + " but we need slot " + nextApply
                            + "; a snapshot must be installed from that peer");
                    fx.snapshotNeededFrom(from);
                }
            }
        }
    }

    private void onSlotMessage(int from, Message m, long s) {
        if (s < nextApply) {
            helpLaggard(from, s);
            return;
        }
        if (s >= nextApply + depth) {
            bufferFuture(from, m, s);
            return;
        }
        SlotInstance inst = window[index(s)];
        if (inst == null) {
            BatchId follow = m instanceof Message.Proposal p ? p.batchIdOrNullForEmpty() : null;
            inst = startSlot(s, follow);
        }
        if (inst.isDecided()) {
            if (inst.isComplete()) {
                fx.send(from, new Message.Decided(s, inst.decidedValue == 1 ? inst.decidedBatch : null));
            }
            return;
        }
        inst.notePeerPosition(from, switch (m.kind()) {
            case STATE -> SlotInstance.position(((Message.State) m).round(), SlotInstance.Phase.STATE_SENT);
            case VOTE -> SlotInstance.position(((Message.Vote) m).round(), SlotInstance.Phase.VOTE_SENT);
            default -> SlotInstance.position(1, SlotInstance.Phase.PROPOSING);
        });
        switch (m.kind()) {
            case PROPOSAL -> onProposal(inst, from, (Message.Proposal) m);
            case STATE -> onState(inst, from, (Message.State) m);
            case VOTE -> onVote(inst, from, (Message.Vote) m);
            default -> throw new IllegalStateException("not a slot message: " + m.kind());
        }
        evaluate(inst);
    }

    private void helpLaggard(int from, long s) {
        if (decidedLog.isRetained(s)) {
            fx.send(from, new Message.Decided(s, decidedLog.get(s)));
        } else if (s < decidedLog.firstRetained()) {
            fx.send(from, new Message.SnapshotRequired(decidedLog.firstRetained()));
        }
    }

    private void bufferFuture(int from, Message m, long s) {
        if (future.size() < maxFuture) {
            future.add(new Input.Receive(from, m));
        } else {
            LOG.log(System.Logger.Level.TRACE, () -> "replica " + self + ": future-slot buffer full (" + maxFuture
                    + "), dropping message for slot " + s + " from " + from + "; the peer retransmits");
        }
        requestFetch(from);
    }

    private void requestFetch(int from) {
        fetchPeer = from;
        if (nowMicros - lastFetchMicros >= cfg.retransmitMicros()) {
            lastFetchMicros = nowMicros;
            fx.send(from, new Message.FetchRequest(nextApply));
        }
    }

    private void replayFuture() {
        int k = future.size();
        for (int i = 0; i < k; i++) {
            Input.Receive r = future.poll();
            if (slotOf(r.message()) < nextApply + depth) {
                onReceive(r.from(), r.message());
            } else {
                future.add(r);
            }
        }
    }

    private void serveFetch(int from, long fromSlot) {
        if (fromSlot < decidedLog.firstRetained()) {
            fx.send(from, new Message.SnapshotRequired(decidedLog.firstRetained()));
        } else if (fromSlot < nextApply) {
            long maxBytes = 4L * cfg.maxBatchBytes();
            fx.send(from, new Message.FetchResponse(decidedLog.range(fromSlot, cfg.maxFetchSlots(), maxBytes)));
        }
    }

    private void onDecided(int from, long s, Batch batch, Message original) {
        if (s < nextApply) {
            return;
        }
        if (s >= nextApply + depth) {
            if (original != null) {
                bufferFuture(from, original, s);
            } else {
                requestFetch(from);
            }
            return;
        }
        SlotInstance inst = window[index(s)];
        if (inst == null) {
            inst = new SlotInstance(s, n, nowMicros);
            window[index(s)] = inst;
        }
        int value = batch == null ? 0 : 1;
        if (inst.isDecided()) {
            if (inst.decidedValue != value || (value == 1 && !batch.id().equals(inst.candidate))) {
                throw new IllegalStateException("replica " + self + ": slot " + s + " decided "
                        + describe(inst.decidedValue, inst.candidate) + " here but peer " + from + " says "
                        + describe(value, batch == null ? null : batch.id()) + ": agreement violated");
            }
            if (value == 1 && inst.decidedBatch == null) {
                inst.decidedBatch = batch;
            }
            return;
        }
        if (value == 1) {
            noteCandidate(inst, batch.id(), from);
        }
        decide(inst, value, batch);
    }

    // ---- one slot's protocol

    private SlotInstance startSlot(long s, BatchId follow) {
        SlotInstance inst = new SlotInstance(s, n, nowMicros);
        window[index(s)] = inst;
        Batch proposal = null;
        if (summaryNeededThrough >= 0) {
            proposal = null; // see summaryNeededThrough
        } else if (follow != null && pending.proposable(follow, s)) {
            proposal = pending.get(follow);
        } else {
            proposal = choose(s);
        }
        propose(inst, proposal);
        return inst;
    }

    /** Slot {@code s}'s owner: the replica whose batches it carries when every replica is up (see docs, §4). */
    private int ownerOf(long s) {
        return (int) ((s - 1) % n);
    }

    private boolean presumedDown(int replica) {
        return replica != self && nowMicros - lastHeardMicros[replica] >= ownerTimeoutMicros;
    }

    /**
     * What this replica proposes in slot {@code s} unless it follows a peer's proposal: in its own slots its next
     * own batch, in another replica's slots that replica's oldest unproposed batch if held here; else empty.
     */
    private Batch choose(long s) {
        if (nullStreak >= depth) {
            sealOpenIfOld();
            PendingQueue.Entry head = pending.firstUnproposed();
            return head == null ? null : head.batch;
        }
        int owner = ownerOf(s);
        if (owner == self) {
            return nextOwnBatch();
        }
        PendingQueue.Entry e = pending.firstUnproposedOf(owner);
        return e == null ? null : e.batch;
    }

    private void propose(SlotInstance inst, Batch batchOrNull) {
        BatchId id = batchOrNull == null ? null : batchOrNull.id();
        inst.proposed = true;
        inst.myProposal = batchOrNull;
        if (id != null) {
            pending.markProposed(id, inst.slot);
        }
        fx.persist(new LogEntry.ProposalSent(inst.slot, batchOrNull));
        fx.broadcast(new Message.Proposal(inst.slot, id));
        inst.recordProposal(self, id);
        inst.lastProgressMicros = nowMicros;
    }

    private void onProposal(SlotInstance inst, int from, Message.Proposal p) {
        BatchId id = p.batchIdOrNullForEmpty();
        if (!inst.recordProposal(from, id)) {
            catchUpIfBehind(inst, from, true);
            return;
        }
        if (id != null && committed.contains(id)) {
            fx.send(from, new Message.BatchCommitted(id));
        } else if (id != null && !pending.contains(id)) {
            fx.send(from, new Message.BatchRequest(id));
        }
    }

    private void onState(SlotInstance inst, int from, Message.State st) {
        if (st.value() == 1) {
            noteCandidate(inst, st.batchIdOrNull(), from);
        }
        if (st.round() < inst.round) {
            catchUpIfBehind(inst, from, false);
        } else if (st.round() > inst.round) {
            jump(inst, st.round(), st.value());
            inst.recordState(from, st.value());
        } else if (!inst.recordState(from, st.value())) {
            catchUpIfBehind(inst, from, false);
        }
    }

    private void onVote(SlotInstance inst, int from, Message.Vote v) {
        if (v.batchIdOrNull() != null) {
            noteCandidate(inst, v.batchIdOrNull(), from);
        }
        if (v.round() < inst.round) {
            catchUpIfBehind(inst, from, false);
        } else if (v.round() > inst.round) {
            if (v.value() != Message.QUESTION) {
                // Every replica that sees this vote in its round adopts its value for the next round.
                jump(inst, v.round() + 1, v.value());
            }
        } else if (!inst.recordVote(from, v.value())) {
            catchUpIfBehind(inst, from, false);
        }
    }

    private void noteCandidate(SlotInstance inst, BatchId id, int from) {
        if (inst.candidate == null) {
            inst.candidate = id;
        } else if (!inst.candidate.equals(id)) {
            throw new IllegalStateException("replica " + self + ": slot " + inst.slot + " round " + inst.round
                    + ": replica " + from + " stands for batch " + id + " but the majority batch is "
                    + inst.candidate + "; two proposal majorities cannot differ, so a replica equivocated"
                    + " (messages sent before their WAL entries were durable?)");
        }
    }

    /** Adopts a later round's state: safe because it is a value some replica legitimately holds in that round. */
    private void jump(SlotInstance inst, int newRound, int state) {
        inst.enterRound(newRound);
        enterState(inst, state);
    }

    /**
     * A peer re-sent (or sent late) a message from an earlier point of this slot: if the furthest point we have
     * seen it reach is behind ours, it is stuck and gets our latest messages. Judging by the furthest point seen
     * (not by the message, which may itself be an older part of a catch-up reply) and answering each peer at
     * most once per retransmit period keeps two replicas from ping-ponging.
     */
    private void catchUpIfBehind(SlotInstance inst, int to, boolean includeProposal) {
        if (inst.peerPosition(to) >= inst.position()
                || nowMicros - inst.lastCatchUpMicros[to] < cfg.retransmitMicros()) {
            return;
        }
        inst.lastCatchUpMicros[to] = nowMicros;
        if (includeProposal && inst.proposed) {
            fx.send(to, new Message.Proposal(inst.slot, inst.myProposalId()));
        }
        if (inst.myState != SlotInstance.NONE) {
            fx.send(to, stateMessage(inst));
        }
        if (inst.myVote != SlotInstance.NONE) {
            fx.send(to, voteMessage(inst));
        }
    }

    private void evaluate(SlotInstance inst) {
        while (true) {
            switch (inst.phase) {
                case PROPOSING -> {
                    if (!inst.proposed || inst.proposalCount < quorum) {
                        return;
                    }
                    BatchId top = inst.topProposal();
                    int topCount = top == null ? 0 : inst.countProposals(top);
                    if (top != null && rules.decideFromProposals(topCount, inst.proposalCount, f)) {
                        noteCandidate(inst, top, self);
                        decide(inst, 1, null);
                        return;
                    }
                    int fromProposals = 0;
                    if (top != null && rules.majorityProposal(topCount, f)) {
                        noteCandidate(inst, top, self);
                        fromProposals = 1;
                    }
                    int state = rules.initialState(fromProposals, previousSlotFinalState);
                    if (state == 1 && fromProposals == 0 && inst.candidate == null) {
                        inst.candidate = previousSlotCandidate; // only broken rules get here
                    }
                    enterState(inst, state);
                }
                case STATE_SENT -> {
                    if (inst.stateCount < quorum) {
                        return;
                    }
                    sendVote(inst, rules.vote(inst.zeroStates, inst.oneStates, f));
                }
                case VOTE_SENT -> {
                    if (inst.voteCount < quorum) {
                        return;
                    }
                    int coin = Coin.flip(cfg.coinSeed(), inst.slot, inst.round);
                    int outcome = rules.afterVotes(inst.zeroVotes, inst.oneVotes, f, coin);
                    if ((outcome & DecisionRules.DECIDE) != 0) {
                        decide(inst, outcome & 1, null);
                        return;
                    }
                    inst.enterRound(inst.round + 1);
                    enterState(inst, outcome & 1);
                }
                case DECIDED -> {
                    return;
                }
            }
        }
    }

    private void enterState(SlotInstance inst, int state) {
        if (state == 1 && inst.candidate == null) {
            throw new IllegalStateException("replica " + self + ": slot " + inst.slot + " round " + inst.round
                    + ": state 1 without a known batch id (decision rules bug)");
        }
        inst.phase = SlotInstance.Phase.STATE_SENT;
        inst.myState = state;
        inst.lastProgressMicros = nowMicros;
        BatchId id = state == 1 ? inst.candidate : null;
        fx.persist(new LogEntry.StateSent(inst.slot, inst.round, state, id));
        fx.broadcast(new Message.State(inst.slot, inst.round, state, id));
        inst.recordState(self, state);
    }

    private void sendVote(SlotInstance inst, int vote) {
        inst.phase = SlotInstance.Phase.VOTE_SENT;
        inst.myVote = vote;
        inst.lastProgressMicros = nowMicros;
        // A "?" vote saw a 1-state, so the id is known; persisting it lets a restarted replica that adopts
        // coin 1 later still name the batch.
        BatchId id = vote == 0 ? null : inst.candidate;
        fx.persist(new LogEntry.VoteSent(inst.slot, inst.round, vote, id));
        fx.broadcast(new Message.Vote(inst.slot, inst.round, vote, id));
        inst.recordVote(self, vote);
    }

    private Message.State stateMessage(SlotInstance inst) {
        return new Message.State(inst.slot, inst.round, inst.myState, inst.myState == 1 ? inst.candidate : null);
    }

    private Message.Vote voteMessage(SlotInstance inst) {
        return new Message.Vote(inst.slot, inst.round, inst.myVote, inst.myVote == 0 ? null : inst.candidate);
    }

    /** Decides {@code value} for the slot; {@code content} is the committed batch if the caller holds it. */
    private void decide(SlotInstance inst, int value, Batch content) {
        inst.phase = SlotInstance.Phase.DECIDED;
        inst.decidedValue = value;
        inst.lastProgressMicros = nowMicros;
        previousSlotFinalState = value;
        previousSlotCandidate = value == 1 ? inst.candidate : null;
        BatchId mine = inst.myProposalId();
        if (mine != null && (value == 0 || !mine.equals(inst.candidate))) {
            pending.unmarkProposed(mine, inst.slot);
            if (committed.contains(mine)) {
                pending.remove(mine);
            }
        }
        if (value == 0) {
            return;
        }
        BatchId id = inst.candidate;
        if (id == null) {
            throw new IllegalStateException("replica " + self + ": slot " + inst.slot
                    + " decided 1 without a known batch id (decision rules bug)");
        }
        Batch batch = content != null ? content : findBatch(id);
        pending.remove(id);
        committed.add(id);
        inst.decidedBatch = batch;
        if (batch == null) {
            fx.broadcast(new Message.BatchRequest(id));
        }
    }

    // ---- applying, starting and time

    /** Emits every complete slot at the head of the window, in order. */
    private boolean applyReady() {
        boolean any = false;
        while (true) {
            SlotInstance inst = window[index(nextApply)];
            if (inst == null || !inst.isComplete()) {
                return any;
            }
            Batch b = inst.decidedValue == 1 ? inst.decidedBatch : null;
            nullStreak = b == null ? nullStreak + 1 : 0;
            fx.persist(new LogEntry.DecidedEntry(nextApply, b));
            fx.decided(new DecidedSlot(nextApply, b));
            decidedLog.append(nextApply, b);
            if (b != null) {
                pending.remove(b.id());
            }
            window[index(nextApply)] = null;
            if (nextApply % cfg.retainDecidedSlots() == 0 && summaryNeededThrough < 0) {
                // A checkpoint of committed ids, so a WAL truncated at a snapshot still holds one (see docs).
                fx.persist(new LogEntry.CommittedKnown(nextApply, committed.summary()));
            }
            nextApply++;
            any = true;
        }
    }

    /**
     * Starts the slots this replica may start on its own (see docs, §4): its own slots when it has an own batch
     * or a later slot is already running, and the slots of a peer presumed down when it holds that peer's
     * batches or a later slot is running. After a long run of no-op slots, one slot at a time with the head of
     * the queue (lockstep).
     */
    private boolean startOwnSlots() {
        if (summaryNeededThrough >= 0) {
            return false;
        }
        if (nullStreak >= depth) {
            return startLockstepSlot();
        }
        boolean any = false;
        long highestStarted = highestStarted();
        for (long s = nextApply; s < nextApply + depth; s++) {
            if (window[index(s)] != null) {
                continue;
            }
            int owner = ownerOf(s);
            boolean start;
            if (owner == self) {
                start = s < highestStarted || hasOwnWork();
            } else if (presumedDown(owner)) {
                PendingQueue.Entry e = pending.firstUnproposedOf(owner);
                start = s < highestStarted || (e != null && nowMicros - e.arrivalMicros >= cfg.proposeDelayMicros());
            } else {
                continue;
            }
            if (!start) {
                continue;
            }
            evaluate(startSlot(s, null));
            highestStarted = Math.max(highestStarted, s);
            any = true;
        }
        if (!any && depth < n && hasOwnWork() && !ownSlotInWindow()) {
            // A window narrower than the cluster may hold none of this replica's slots: it starts the lowest
            // unstarted one for its owner, who then sees a running slot and proposes in it.
            for (long s = nextApply; s < nextApply + depth; s++) {
                if (window[index(s)] == null) {
                    evaluate(startSlot(s, null));
                    return true;
                }
            }
        }
        return any;
    }

    /** Whether one of this replica's own slots lies in the window (it is {@code self - ownerOf(nextApply)} slots in). */
    private boolean ownSlotInWindow() {
        return Math.floorMod(self - ownerOf(nextApply), n) < depth;
    }

    /** Lockstep: with the window empty, start its lowest slot with the head of the ordered queue. */
    private boolean startLockstepSlot() {
        sealOpenIfOld();
        PendingQueue.Entry head = pending.firstUnproposed();
        if (head == null || nowMicros - head.arrivalMicros < cfg.proposeDelayMicros() || !windowEmpty()) {
            return false;
        }
        evaluate(startSlot(nextApply, null));
        return true;
    }

    private void sealOpenIfOld() {
        if (!open.isEmpty() && nowMicros - openSinceMicros >= cfg.batchDelayMicros()) {
            seal();
        }
    }

    private long highestStarted() {
        for (long s = nextApply + depth - 1; s >= nextApply; s--) {
            if (window[index(s)] != null) {
                return s;
            }
        }
        return -1;
    }

    private boolean windowEmpty() {
        for (SlotInstance inst : window) {
            if (inst != null) {
                return false;
            }
        }
        return true;
    }

    private void settle() {
        boolean progress = true;
        while (progress) {
            progress = applyReady();
            if (progress) {
                replayFuture();
            }
            progress |= startOwnSlots();
        }
    }

    private void onTick(long t) {
        if (t > nowMicros) {
            nowMicros = t;
        }
        long highestStarted = -1;
        long lowestGap = -1;
        for (long s = nextApply; s < nextApply + depth; s++) {
            SlotInstance inst = window[index(s)];
            if (inst == null) {
                if (lowestGap < 0) {
                    lowestGap = s;
                }
                continue;
            }
            highestStarted = s;
            if (nowMicros - inst.lastProgressMicros >= cfg.retransmitMicros()) {
                inst.lastProgressMicros = nowMicros;
                retransmit(inst);
            }
        }
        startGapSlot(lowestGap, highestStarted);
        if (summaryNeededThrough >= 0) {
            awaitSummary();
        }
        if (fetchPeer >= 0 && !future.isEmpty() && nowMicros - lastFetchMicros >= cfg.retransmitMicros()) {
            lastFetchMicros = nowMicros;
            fx.send(fetchPeer, new Message.FetchRequest(nextApply));
        }
    }

    private void awaitSummary() {
        if (summaryWaitSinceMicros == LONG_AGO) {
            summaryWaitSinceMicros = nowMicros;
        }
        if (nowMicros - summaryWaitSinceMicros >= SUMMARY_WAIT_PERIODS * cfg.retransmitMicros()) {
            // Every peer able to answer is down or itself waiting (e.g. the whole cluster restarted from
            // snapshots): proceed; the KV's (clientId, seq) dedup still applies each command once.
            long through = summaryNeededThrough;
            LOG.log(System.Logger.Level.WARNING, () -> "replica " + self + ": no committed-batch summary through slot "
                    + through + " from any peer after " + SUMMARY_WAIT_PERIODS + " retransmit periods; proceeding"
                    + " without it (a batch committed inside the snapshot may be proposed again)");
            summaryNeededThrough = -1;
            summaryWaitSinceMicros = LONG_AGO;
        } else if (nowMicros - lastSummaryRequestMicros >= cfg.retransmitMicros()) {
            lastSummaryRequestMicros = nowMicros;
            fx.broadcast(new Message.CommittedRequest(summaryNeededThrough));
        }
    }

    private void retransmit(SlotInstance inst) {
        if (inst.isDecided()) {
            if (!inst.isComplete()) {
                fx.broadcast(new Message.BatchRequest(inst.candidate));
            }
            return;
        }
        if (inst.proposed) {
            fx.broadcast(new Message.Proposal(inst.slot, inst.myProposalId()));
        }
        if (inst.myState != SlotInstance.NONE) {
            fx.broadcast(stateMessage(inst));
        }
        if (inst.myVote != SlotInstance.NONE) {
            fx.broadcast(voteMessage(inst));
        }
    }

    /**
     * A slot nobody told us about while later ones run (its messages were lost) is started after a
     * retransmit period, so that peers that decided it answer with {@code Decided}.
     */
    private void startGapSlot(long lowestGap, long highestStarted) {
        if (lowestGap < 0 || highestStarted < lowestGap) {
            gapSlot = -1;
            return;
        }
        if (gapSlot != lowestGap) {
            gapSlot = lowestGap;
            gapSinceMicros = nowMicros;
        } else if (nowMicros - gapSinceMicros >= cfg.retransmitMicros()) {
            gapSlot = -1;
            evaluate(startSlot(lowestGap, null));
        }
    }

    private void onSnapshotInstalled(long lastIncluded) {
        if (lastIncluded < nextApply) {
            return;
        }
        for (int i = 0; i < depth; i++) {
            SlotInstance inst = window[i];
            if (inst != null && inst.slot <= lastIncluded) {
                BatchId mine = inst.myProposalId();
                if (mine != null) {
                    pending.unmarkProposed(mine, inst.slot);
                }
                window[i] = null;
            }
        }
        nextApply = lastIncluded + 1;
        decidedLog.resetTo(nextApply);
        summaryNeededThrough = lastIncluded;
        lastSummaryRequestMicros = LONG_AGO;
        summaryWaitSinceMicros = LONG_AGO;
        fetchPeer = -1;
        replayFuture();
    }

    /** Slot of a per-slot message (only those are buffered as future messages). */
    private static long slotOf(Message m) {
        return switch (m.kind()) {
            case PROPOSAL -> ((Message.Proposal) m).slot();
            case STATE -> ((Message.State) m).slot();
            case VOTE -> ((Message.Vote) m).slot();
            case DECIDED -> ((Message.Decided) m).slot();
            case FORWARD, FETCH_REQUEST, FETCH_RESPONSE, SNAPSHOT_REQUIRED, BATCH_REQUEST, BATCH_RESPONSE,
                 BATCH_COMMITTED, COMMITTED_REQUEST, COMMITTED_SUMMARY ->
                    throw new IllegalStateException("not a per-slot message: " + m.kind());
        };
    }

    private int index(long slot) {
        return (int) (slot % depth);
    }

    private static String describe(int value, BatchId id) {
        return value == 1 ? "batch " + id : "no-op";
    }

    // ---- recovery

    /** Rebuilds from the WAL; returns the slot through which committed batch ids are known from it. */
    private long replay(long snapshotSlot, List<LogEntry> entries) {
        WalReplay wal = WalReplay.read(self, entries);
        lastBatchSeq = wal.lastOwnSeq;
        wal.committedKnown.forEach(committed::merge);
        for (LogEntry.DecidedEntry d : wal.decided) {
            Batch b = d.batchOrNullForNoop();
            if (b != null) {
                committed.add(b.id());
            }
            if (d.slot() <= snapshotSlot) {
                continue;
            }
            if (d.slot() != nextApply) {
                throw new IllegalStateException("recover: WAL has DecidedEntry for slot " + d.slot() + " but slot "
                        + nextApply + " was expected next (snapshot slot " + snapshotSlot
                        + "); entries are missing or out of order; refusing to start");
            }
            decidedLog.append(d.slot(), b);
            nextApply++;
        }
        for (Map.Entry<Long, WalReplay.SlotSent> e : wal.slots.tailMap(nextApply, true).entrySet()) {
            restoreSlot(e.getKey(), e.getValue());
        }
        return wal.knownThrough;
    }

    private void restoreSlot(long s, WalReplay.SlotSent ps) {
        if (s >= nextApply + depth) {
            throw new IllegalStateException("recover: WAL has messages for slot " + s + " beyond the window ["
                    + nextApply + ", " + (nextApply + depth) + "); was pipelineDepth reduced? restore it to recover");
        }
        SlotInstance inst = new SlotInstance(s, n, LONG_AGO);
        window[index(s)] = inst;
        if (ps.proposed) {
            Batch b = ps.proposal;
            inst.proposed = true;
            inst.myProposal = b;
            inst.recordProposal(self, b == null ? null : b.id());
            if (b != null && !committed.contains(b.id())) {
                pending.add(b, LONG_AGO);
                pending.markProposed(b.id(), s);
            }
        }
        if (ps.state == SlotInstance.NONE) {
            return;
        }
        if (ps.stateRound > 1) {
            inst.enterRound(ps.stateRound);
        }
        inst.candidate = ps.candidate;
        inst.phase = SlotInstance.Phase.STATE_SENT;
        inst.myState = ps.state;
        inst.recordState(self, ps.state);
        if (ps.vote != SlotInstance.NONE && ps.voteRound == ps.stateRound) {
            inst.phase = SlotInstance.Phase.VOTE_SENT;
            inst.myVote = ps.vote;
            inst.recordVote(self, ps.vote);
        }
    }
}
