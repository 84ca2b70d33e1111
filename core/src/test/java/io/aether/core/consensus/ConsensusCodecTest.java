package io.aether.core.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ConsensusCodecTest {

    private static final Batch BATCH = new Batch(new BatchId(1, 7), 123,
            List.of(new Command(5, 9, new byte[] {1, 2}), new Command(6, 1, new byte[0])));

    @Test
    void everyMessageKindRoundTrips() {
        List<Message> messages = List.of(new Message.Forward(BATCH), new Message.Proposal(3, BATCH.id()),
                new Message.Proposal(3, null), new Message.State(3, 2, 1, BATCH.id()), new Message.Vote(3, 1, 2, null),
                new Message.Decided(4, BATCH), new Message.Decided(4, null), new Message.FetchRequest(2),
                new Message.FetchResponse(List.of(new DecidedSlot(2, BATCH), new DecidedSlot(3, null))),
                new Message.SnapshotRequired(10), new Message.BatchRequest(BATCH.id()),
                new Message.BatchResponse(BATCH), new Message.BatchCommitted(BATCH.id()),
                new Message.CommittedRequest(8),
                new Message.CommittedSummary(8, List.of(new OriginCommitted(0, 5, List.of(7L, 9L)))));
        assertEquals(Message.Kind.values().length, messages.stream().map(Message::kind).distinct().count());
        for (Message m : messages) {
            assertEquals(m.toString(), ConsensusCodec.decodeMessage(ConsensusCodec.encode(m)).toString());
        }
    }

    @Test
    void everyLogEntryKindRoundTrips() {
        List<LogEntry> entries = List.of(new LogEntry.ProposalSent(1, BATCH), new LogEntry.ProposalSent(1, null),
                new LogEntry.StateSent(1, 1, 0, null), new LogEntry.VoteSent(1, 3, 1, BATCH.id()),
                new LogEntry.DecidedEntry(1, BATCH), new LogEntry.BatchSealed(BATCH));
        for (LogEntry e : entries) {
            assertEquals(e.toString(), ConsensusCodec.decodeLogEntry(ConsensusCodec.encode(e)).toString());
        }
    }

    @Test
    void aHugeCommandCountIsRefusedBeforeAllocating() {
        byte[] bytes = ConsensusCodec.encode(new Message.Forward(BATCH));
        bytes[2 + 12 + 8] = 0x7f; // the command count's high byte
        CodecException e = assertThrows(CodecException.class, () -> ConsensusCodec.decodeMessage(bytes));
        assertTrue(e.getMessage().startsWith("message: count of commands"), e.getMessage());
    }

    @Property(tries = 3000)
    void garbageFailsOnlyWithCodecException(@ForAll byte[] garbage) {
        try {
            ConsensusCodec.decodeMessage(garbage);
        } catch (CodecException expected) {
            assertTrue(expected.getMessage().startsWith("message"));
        }
        try {
            ConsensusCodec.decodeLogEntry(garbage);
        } catch (CodecException expected) {
            assertTrue(expected.getMessage().startsWith("log entry"));
        }
    }
}
