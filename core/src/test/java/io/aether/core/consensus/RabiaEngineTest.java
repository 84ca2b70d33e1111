package io.aether.core.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision rules of one replica, driven message by message (n = 3, f = 1, this replica is 0). */
class RabiaEngineTest {
    private static final long SEED = 42;

    private static EngineConfig config(int maxPending) {
        return new EngineConfig(0, 3, SEED, 1, 1024, maxPending, 4, 0, 0, 1_000, 8, 16);
    }

    private final RabiaEngine engine = new RabiaEngine(config(8));
    private final List<LogEntry> wal = new ArrayList<>();

    private Output step(Input in) {
        Output out = engine.step(in);
        wal.addAll(out.persist());
        return out;
    }

    /** Submits one command; with batchDelay and proposeDelay 0 it is sealed and proposed for slot 1 at once. */
    private Batch submitAndPropose() {
        Output out = step(new Input.Submit(new Command(7, 1, new byte[] {1})));
        Batch batch = ((Message.Forward) sentOfKind(out, Message.Kind.FORWARD).get(0)).batch();
        assertEquals(new LogEntry.BatchSealed(batch.id()), out.persist().get(0), "the seal is durable first");
        assertTrue(out.persist().contains(new LogEntry.ProposalSent(1, batch)), out.toString());
        assertTrue(sent(out, new Message.Proposal(1, batch.id())), out.toString());
        return batch;
    }

    private static boolean sent(Output out, Message m) {
        return out.send().stream().anyMatch(o -> o.message().equals(m));
    }

    private static List<Message> sentOfKind(Output out, Message.Kind kind) {
        return out.send().stream().map(Outbound::message).filter(m -> m.kind() == kind).distinct().toList();
    }

    @Test
    void aMajorityOfProposalsForOneBatchGivesStateOneWithThatBatch() {
        Batch x = submitAndPropose();
        Output out = step(new Input.Receive(1, new Message.Proposal(1, x.id())));
        assertTrue(sent(out, new Message.State(1, 1, 1, x.id())), out.toString());
        assertTrue(out.persist().contains(new LogEntry.StateSent(1, 1, 1, x.id())));
    }

    @Test
    void splitProposalsGiveStateZero() {
        submitAndPropose();
        Output out = step(new Input.Receive(1, new Message.Proposal(1, null)));
        assertTrue(sent(out, new Message.State(1, 1, 0, null)), out.toString());
    }

    @Test
    void fPlusOneMatchingVotesDecideAndTheBatchIsApplied() {
        Batch x = submitAndPropose();
        step(new Input.Receive(1, new Message.Proposal(1, x.id())));
        Output voted = step(new Input.Receive(1, new Message.State(1, 1, 1, x.id())));
        assertTrue(sent(voted, new Message.Vote(1, 1, 1, x.id())), voted.toString());
        Output decided = step(new Input.Receive(2, new Message.Vote(1, 1, 1, x.id())));
        assertEquals(List.of(new DecidedSlot(1, x)), decided.decided());
        assertTrue(decided.persist().contains(new LogEntry.DecidedEntry(1, x)));
        assertEquals(2, engine.nextApplySlot());
        assertEquals(0, engine.pendingCommandCount());
    }

    @Test
    void allQuestionVotesOnlySetTheNextStateFromTheCoinAndNeverDecide() {
        Batch x = submitAndPropose();
        step(new Input.Receive(1, new Message.Proposal(1, x.id())));            // state 1 (x)
        Output voted = step(new Input.Receive(2, new Message.State(1, 1, 0, null))); // states {1, 0}: vote ?
        assertTrue(sent(voted, new Message.Vote(1, 1, Message.QUESTION, x.id())), voted.toString());
        Output next = step(new Input.Receive(2, new Message.Vote(1, 1, Message.QUESTION, null)));
        assertTrue(next.decided().isEmpty(), "a coin must never decide: " + next);
        int coin = Coin.flip(SEED, 1, 1);
        assertTrue(sent(next, new Message.State(1, 2, coin, coin == 1 ? x.id() : null)), next.toString());
        assertEquals(1, engine.nextApplySlot());
    }

    @Test
    void aSingleNonQuestionVoteIsAdoptedAsTheNextStateWithoutDeciding() {
        Batch x = submitAndPropose();
        step(new Input.Receive(1, new Message.Proposal(1, x.id())));
        step(new Input.Receive(2, new Message.State(1, 1, 0, null)));               // own vote ?
        Output next = step(new Input.Receive(1, new Message.Vote(1, 1, 1, x.id()))); // votes {?, 1}
        assertTrue(next.decided().isEmpty(), next.toString());
        assertTrue(sent(next, new Message.State(1, 2, 1, x.id())), next.toString());
    }

    @Test
    void aNewSlotStartsCleanAndDoesNotInheritThePreviousSlotsBatch() {
        Batch x = submitAndPropose();
        step(new Input.Receive(1, new Message.Proposal(1, x.id())));
        step(new Input.Receive(1, new Message.State(1, 1, 1, x.id())));
        step(new Input.Receive(2, new Message.Vote(1, 1, 1, x.id())));
        // Slot 2 is started by a peer; we hold nothing, so we propose empty, and split proposals give state 0.
        Output started = step(new Input.Receive(1, new Message.Proposal(2, null)));
        assertTrue(sent(started, new Message.Proposal(2, null)), started.toString());
        assertTrue(sent(started, new Message.State(2, 1, 0, null)), started.toString());
    }

    @Test
    void aRecoveredReplicaResendsExactlyThePersistedProposalStateAndVote() {
        Batch x = submitAndPropose();
        step(new Input.Receive(1, new Message.Proposal(1, x.id())));
        step(new Input.Receive(2, new Message.State(1, 1, 0, null)));
        RabiaEngine recovered = RabiaEngine.recover(config(8), 0, wal);
        Output resent = recovered.step(new Input.Tick(10_000));
        assertEquals(List.of(new Message.Proposal(1, x.id()), new Message.State(1, 1, 1, x.id()),
                new Message.Vote(1, 1, Message.QUESTION, x.id())), distinctMessages(resent));
        assertTrue(resent.persist().isEmpty(), "re-sending needs no new entries: " + resent);
        // It keeps its round: a peer's round-1 vote completes the round instead of restarting it.
        Output next = recovered.step(new Input.Receive(2, new Message.Vote(1, 1, Message.QUESTION, null)));
        int coin = Coin.flip(SEED, 1, 1);
        assertTrue(sent(next, new Message.State(1, 2, coin, coin == 1 ? x.id() : null)), next.toString());
    }

    private static List<Message> distinctMessages(Output out) {
        return out.send().stream().map(Outbound::message).distinct().toList();
    }

    @Test
    void recoveryDoesNotReEmitAppliedSlotsAndContinuesAfterThem() {
        Batch x = submitAndPropose();
        step(new Input.Receive(1, new Message.Proposal(1, x.id())));
        step(new Input.Receive(1, new Message.State(1, 1, 1, x.id())));
        step(new Input.Receive(2, new Message.Vote(1, 1, 1, x.id())));
        RabiaEngine recovered = RabiaEngine.recover(config(8), 0, wal);
        assertEquals(2, recovered.nextApplySlot());
        Output out = recovered.step(new Input.Receive(1, new Message.Vote(1, 1, 1, x.id())));
        assertTrue(out.decided().isEmpty());
        assertEquals(List.of(new Message.Decided(1, x)), distinctMessages(out), "a laggard is helped");
        // The batch seq counter survives: the next batch gets a new id.
        Output sealed = recovered.step(new Input.Submit(new Command(7, 2, new byte[] {2})));
        BatchId next = ((LogEntry.BatchSealed) sealed.persist().get(0)).id();
        assertEquals(new BatchId(0, x.id().seq() + 1), next);
    }

    @Test
    void aFullPendingQueueRejectsWithAReasonInsteadOfDropping() {
        RabiaEngine small = new RabiaEngine(config(1));
        small.step(new Input.Submit(new Command(7, 1, new byte[] {1})));
        Command second = new Command(7, 2, new byte[] {2});
        Output out = small.step(new Input.Submit(second));
        assertEquals(1, out.rejected().size());
        assertEquals(second, out.rejected().get(0).command());
        assertTrue(out.rejected().get(0).reason().contains("pending queue full"), out.rejected().get(0).reason());
    }

    @Test
    void aCommandLargerThanABatchIsRejected() {
        Output out = engine.step(new Input.Submit(new Command(7, 1, new byte[2048])));
        assertTrue(out.rejected().get(0).reason().contains("exceeds maxBatchBytes 1024"), out.toString());
    }

    @Test
    void messagesForSlotsBeyondTheWindowTriggerAFetch() {
        Output out = step(new Input.Receive(2, new Message.Proposal(50, null)));
        assertEquals(List.of(new Message.FetchRequest(1)), sentOfKind(out, Message.Kind.FETCH_REQUEST));
        assertFalse(sent(out, new Message.Proposal(50, null)));
    }

    @Test
    void aPeerAskingForTruncatedSlotsIsToldToInstallASnapshot() {
        RabiaEngine afterSnapshot = RabiaEngine.recover(config(8), 100, List.of());
        Output out = afterSnapshot.step(new Input.Receive(1, new Message.FetchRequest(3)));
        assertEquals(List.of(new Message.SnapshotRequired(101)), distinctMessages(out));
        Output told = engine.step(new Input.Receive(1, new Message.SnapshotRequired(101)));
        assertEquals(1, told.snapshotNeededFrom().orElseThrow());
    }

    @Test
    void theCoinIsAPureFunctionOfSeedSlotAndRound() {
        int ones = 0;
        for (int round = 1; round <= 1000; round++) {
            assertEquals(Coin.flip(SEED, 5, round), Coin.flip(SEED, 5, round));
            ones += Coin.flip(SEED, 5, round);
        }
        assertTrue(ones > 400 && ones < 600, "coin is biased: " + ones + " ones in 1000");
    }

    @Test
    void configurationErrorsSayWhatIsWrong() {
        assertMessage("n must be odd", () -> new EngineConfig(0, 4, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1));
        assertMessage("selfIndex must be in 0..2, got 3", () -> new EngineConfig(3, 3, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1));
        assertMessage("pipelineDepth must be > 0", () -> new EngineConfig(0, 3, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1));
        assertMessage("retainDecidedSlots (2) must be >= pipelineDepth (4)",
                () -> new EngineConfig(0, 3, 1, 1, 1, 1, 4, 0, 0, 1, 1, 2));
        assertMessage("maxPendingCommands (1) must be >= maxBatchCommands (8)",
                () -> new EngineConfig(0, 3, 1, 8, 1, 1, 1, 0, 0, 1, 1, 1));
        assertMessage("proposeDelayMicros must be >= 0", () -> new EngineConfig(0, 3, 1, 1, 1, 1, 1, -1, 0, 1, 1, 1));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable ex) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ex);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aSingleReplicaClusterDecidesAlone() {
        RabiaEngine solo = new RabiaEngine(new EngineConfig(0, 1, SEED, 1, 1024, 8, 2, 0, 0, 1000, 8, 16));
        Output out = solo.step(new Input.Submit(new Command(1, 1, new byte[] {3})));
        assertEquals(1, out.decided().size());
        assertNull(out.snapshotNeededFrom().orElse(null));
    }

    @Test
    void afterASnapshotInstallOnlyEmptyProposalsUntilAPeerSaysWhatTheSnapshotCommitted() {
        engine.step(new Input.SnapshotInstalled(10));
        Output sealed = engine.step(new Input.Submit(new Command(7, 1, new byte[] {1})));
        BatchId mine = ((LogEntry.BatchSealed) sealed.persist().get(0)).id();
        assertTrue(sentOfKind(sealed, Message.Kind.PROPOSAL).isEmpty(), "must not propose yet: " + sealed);
        Output asked = engine.step(new Input.Tick(1));
        assertTrue(sent(asked, new Message.CommittedRequest(10)), asked.toString());
        Output joined = engine.step(new Input.Receive(1, new Message.Proposal(11, null)));
        assertTrue(sent(joined, new Message.Proposal(11, null)), "a started slot gets an empty proposal: " + joined);

        List<OriginCommitted> summary = List.of(new OriginCommitted(1, 5, List.of()));
        Output merged = engine.step(new Input.Receive(1, new Message.CommittedSummary(12, summary)));
        assertTrue(merged.persist().stream().anyMatch(e -> e instanceof LogEntry.CommittedKnown k
                && k.throughSlot() == 12), merged.toString());
        // Slot s belongs to replica (s - 1) mod n: replica 0's next own slot after 11 is 13.
        assertTrue(sent(merged, new Message.Proposal(13, mine)), "proposing resumes: " + merged);
        Output late = engine.step(new Input.Receive(2, new Message.Forward(
                new Batch(new BatchId(1, 3), 0, List.of(new Command(9, 9, new byte[] {9}))))));
        assertTrue(late.isEmpty(), "a committed batch is never queued again");
        assertEquals(1, engine.pendingCommandCount());
    }

    @Test
    void aPeerProposingABatchKnownCommittedIsToldSo() {
        Batch x = submitAndPropose();
        step(new Input.Receive(1, new Message.Proposal(1, x.id())));
        step(new Input.Receive(1, new Message.State(1, 1, 1, x.id())));
        step(new Input.Receive(2, new Message.Vote(1, 1, 1, x.id())));
        Output out = step(new Input.Receive(2, new Message.Proposal(2, x.id())));
        assertTrue(sent(out, new Message.BatchCommitted(x.id())), out.toString());
    }
}

