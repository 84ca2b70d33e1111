package io.aether.core.consensus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Every message and log entry survives a round trip; garbage only ever yields {@link CodecException}. */
class ConsensusCodecTest {

    @Property(tries = 500)
    void everyMessageRoundTrips(@ForAll("messages") Message m) throws CodecException {
        byte[] bytes = ConsensusCodec.encode(m);
        assertEquals(m, ConsensusCodec.decodeMessage(bytes));
        assertArrayEquals(bytes, ConsensusCodec.encode(ConsensusCodec.decodeMessage(bytes)));
    }

    @Property(tries = 500)
    void everyLogEntryRoundTrips(@ForAll("entries") LogEntry e) throws CodecException {
        assertEquals(e, ConsensusCodec.decodeLogEntry(ConsensusCodec.encode(e)));
    }

    @Property(tries = 2000)
    void randomBytesFailOnlyWithCodecException(@ForAll @Size(max = 200) byte[] bytes) {
        decodeBothWays(bytes);
    }

    @Property(tries = 1000)
    void everyStrictPrefixOfAnEncodingIsRejected(@ForAll("messages") Message m, @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] bytes = ConsensusCodec.encode(m);
        byte[] prefix = Arrays.copyOf(bytes, cut % bytes.length);
        CodecException e = assertThrows(CodecException.class, () -> ConsensusCodec.decodeMessage(prefix));
        assertTrue(e.offset() >= 0 && e.offset() <= prefix.length, e.getMessage());
    }

    @Property(tries = 2000)
    void mutatedEncodingsDecodeOrFailWithCodecException(@ForAll("messages") Message m, @ForAll int index,
                                                         @ForAll byte value) {
        byte[] bytes = ConsensusCodec.encode(m);
        bytes[Math.floorMod(index, bytes.length)] = value;
        decodeBothWays(bytes);
        LogEntry e = new LogEntry.ProposalSent(1, new Batch(new BatchId(0, 1), 5, List.of(new Command(1, 1, bytes))));
        byte[] entry = ConsensusCodec.encode(e);
        entry[Math.floorMod(index, entry.length)] = value;
        decodeBothWays(entry);
    }

    private static void decodeBothWays(byte[] bytes) {
        try {
            ConsensusCodec.decodeMessage(bytes);
        } catch (CodecException expected) {
            assertTrue(expected.getMessage().contains("offset"), expected.getMessage());
        }
        try {
            ConsensusCodec.decodeLogEntry(bytes);
        } catch (CodecException expected) {
            assertTrue(expected.getMessage().contains("offset"), expected.getMessage());
        }
    }

    @Property(tries = 1)
    void aHugeLengthPrefixIsRejectedWithoutAllocating() {
        // version 1, tag FORWARD, batch id, timestamp, then a command count of 2^31-1 with nothing behind it
        byte[] bytes = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, -1, -1, -1};
        CodecException e = assertThrows(CodecException.class, () -> ConsensusCodec.decodeMessage(bytes));
        assertTrue(e.getMessage().contains("commands count 2147483647 does not fit"), e.getMessage());
        assertEquals(22, e.offset());
    }

    @Property(tries = 1)
    void anUnknownVersionIsNamed() {
        CodecException e = assertThrows(CodecException.class, () -> ConsensusCodec.decodeMessage(new byte[] {9, 1}));
        assertTrue(e.getMessage().startsWith("unsupported codec version 9"), e.getMessage());
    }

    // ---- generators

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<Long> slots = Arbitraries.longs().between(1, Long.MAX_VALUE);
        Arbitrary<Integer> rounds = Arbitraries.integers().between(1, Integer.MAX_VALUE);
        return Arbitraries.oneOf(List.of(
                batches().map(Message.Forward::new),
                Combinators.combine(slots, ids().injectNull(0.3)).as(Message.Proposal::new),
                Combinators.combine(slots, rounds, Arbitraries.integers().between(0, 1), ids())
                        .as((s, r, v, id) -> new Message.State(s, r, v, v == 1 ? id : null)),
                Combinators.combine(slots, rounds, Arbitraries.integers().between(0, 2), ids())
                        .as((s, r, v, id) -> new Message.Vote(s, r, v, v == 0 ? null : id)),
                Combinators.combine(slots, batches().injectNull(0.3)).as(Message.Decided::new),
                slots.map(Message.FetchRequest::new),
                Combinators.combine(slots, batches().injectNull(0.3)).as(DecidedSlot::new).list().ofMaxSize(4)
                        .map(Message.FetchResponse::new),
                Arbitraries.longs().map(Message.SnapshotRequired::new),
                ids().map(Message.BatchRequest::new),
                batches().map(Message.BatchResponse::new),
                ids().map(Message.BatchCommitted::new),
                Arbitraries.longs().map(Message.CommittedRequest::new),
                Combinators.combine(Arbitraries.longs(), origins().list().ofMaxSize(5))
                        .as(Message.CommittedSummary::new)));
    }

    @Provide
    Arbitrary<LogEntry> entries() {
        Arbitrary<Long> slots = Arbitraries.longs().between(1, Long.MAX_VALUE);
        Arbitrary<Integer> rounds = Arbitraries.integers().between(1, 1000);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(slots, batches().injectNull(0.3)).as(LogEntry.ProposalSent::new),
                Combinators.combine(slots, rounds, Arbitraries.integers().between(0, 1), ids())
                        .as((s, r, v, id) -> new LogEntry.StateSent(s, r, v, v == 1 ? id : null)),
                Combinators.combine(slots, rounds, Arbitraries.integers().between(0, 2), ids())
                        .as((s, r, v, id) -> new LogEntry.VoteSent(s, r, v, v == 0 ? null : id)),
                Combinators.combine(slots, batches().injectNull(0.3)).as(LogEntry.DecidedEntry::new),
                batches().map(b -> new LogEntry.BatchSealed(b.id())),
                Combinators.combine(Arbitraries.longs(), origins().list().ofMaxSize(5)).as(LogEntry.CommittedKnown::new)));
    }

    private static Arbitrary<BatchId> ids() {
        return Combinators.combine(Arbitraries.integers().between(0, 62), Arbitraries.longs()).as(BatchId::new);
    }

    private static Arbitrary<Batch> batches() {
        Arbitrary<Command> commands = Combinators.combine(Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(32)).as(Command::new);
        return Combinators.combine(ids(), Arbitraries.longs(), commands.list().ofMaxSize(5)).as(Batch::new);
    }

    private static Arbitrary<OriginCommitted> origins() {
        return Combinators.combine(Arbitraries.integers().between(0, 62), Arbitraries.longs(),
                Arbitraries.longs().list().ofMaxSize(4)).as(OriginCommitted::new);
    }
}
