package io.aether.core.consensus;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of {@link Message}s (what peers send) and {@link LogEntry}s (what the WAL keeps). Each starts
 * with a format version byte and a kind byte. Decoding checks every length against the bytes left before it
 * allocates, so garbage fails with a {@link CodecException} naming the offset, never with an
 * {@link OutOfMemoryError} or another exception.
 */
public final class ConsensusCodec {

    static final byte VERSION = 1;
    private static final byte NULL = 0;
    private static final byte PRESENT = 1;
    /** The smallest encoding of a command: clientId, seq, payload length. */
    private static final int MIN_COMMAND_BYTES = 8 + 8 + 4;
    /** The smallest encoding of a decided slot: slot, null marker. */
    private static final int MIN_DECIDED_SLOT_BYTES = 8 + 1;

    private ConsensusCodec() {
    }

    // ---- messages ----------------------------------------------------------------------------------------

    public static byte[] encode(Message message) {
        Out out = new Out(sizeOf(message));
        out.b(VERSION).b((byte) message.kind().ordinal());
        switch (message.kind()) {
            case FORWARD -> out.batch(((Message.Forward) message).batch());
            case PROPOSAL -> {
                Message.Proposal p = (Message.Proposal) message;
                out.l(p.slot()).batchId(p.batchIdOrNullForEmpty());
            }
            case STATE -> {
                Message.State s = (Message.State) message;
                out.l(s.slot()).i(s.round()).b((byte) s.value()).batchId(s.batchIdOrNull());
            }
            case VOTE -> {
                Message.Vote v = (Message.Vote) message;
                out.l(v.slot()).i(v.round()).b((byte) v.value()).batchId(v.batchIdOrNull());
            }
            case DECIDED -> {
                Message.Decided d = (Message.Decided) message;
                out.l(d.slot()).nullableBatch(d.batchOrNullForNoop());
            }
            case FETCH_REQUEST -> out.l(((Message.FetchRequest) message).fromSlot());
            case FETCH_RESPONSE -> {
                List<DecidedSlot> slots = ((Message.FetchResponse) message).slots();
                out.i(slots.size());
                for (DecidedSlot s : slots) {
                    out.l(s.slot()).nullableBatch(s.batchOrNullForNoop());
                }
            }
            case SNAPSHOT_REQUIRED -> out.l(((Message.SnapshotRequired) message).firstRetainedSlot());
            case BATCH_REQUEST -> out.batchId(((Message.BatchRequest) message).id());
            case BATCH_RESPONSE -> out.batch(((Message.BatchResponse) message).batch());
            case BATCH_COMMITTED -> out.batchId(((Message.BatchCommitted) message).id());
            case COMMITTED_REQUEST -> out.l(((Message.CommittedRequest) message).throughSlot());
            case COMMITTED_SUMMARY -> {
                Message.CommittedSummary summary = (Message.CommittedSummary) message;
                out.l(summary.appliedThroughSlot()).i(summary.origins().size());
                for (OriginCommitted o : summary.origins()) {
                    out.i(o.origin()).l(o.watermark()).i(o.seqsAbove().size());
                    o.seqsAbove().forEach(out::l);
                }
            }
        }
        return out.bytes();
    }

    public static Message decodeMessage(byte[] bytes) {
        In in = new In(bytes, "message");
        Message.Kind kind = in.kind(Message.Kind.values());
        try {
            Message message = switch (kind) {
                case FORWARD -> new Message.Forward(in.batch());
                case PROPOSAL -> new Message.Proposal(in.l(), in.batchId());
                case STATE -> new Message.State(in.l(), in.i(), in.b(), in.batchId());
                case VOTE -> new Message.Vote(in.l(), in.i(), in.b(), in.batchId());
                case DECIDED -> new Message.Decided(in.l(), in.nullableBatch());
                case FETCH_REQUEST -> new Message.FetchRequest(in.l());
                case FETCH_RESPONSE -> {
                    int count = in.count(MIN_DECIDED_SLOT_BYTES, "decided slots");
                    List<DecidedSlot> slots = new ArrayList<>(count);
                    for (int k = 0; k < count; k++) {
                        slots.add(new DecidedSlot(in.l(), in.nullableBatch()));
                    }
                    yield new Message.FetchResponse(slots);
                }
                case SNAPSHOT_REQUIRED -> new Message.SnapshotRequired(in.l());
                case BATCH_REQUEST -> new Message.BatchRequest(in.batchId());
                case BATCH_RESPONSE -> new Message.BatchResponse(in.batch());
                case BATCH_COMMITTED -> new Message.BatchCommitted(in.batchId());
                case COMMITTED_REQUEST -> new Message.CommittedRequest(in.l());
                case COMMITTED_SUMMARY -> {
                    long through = in.l();
                    int count = in.count(4 + 8 + 4, "origins");
                    List<OriginCommitted> origins = new ArrayList<>(count);
                    for (int k = 0; k < count; k++) {
                        int origin = in.i();
                        long watermark = in.l();
                        int seqs = in.count(8, "committed seqs");
                        List<Long> above = new ArrayList<>(seqs);
                        for (int j = 0; j < seqs; j++) {
                            above.add(in.l());
                        }
                        origins.add(new OriginCommitted(origin, watermark, above));
                    }
                    yield new Message.CommittedSummary(through, origins);
                }
            };
            in.end();
            return message;
        } catch (BufferUnderflowException e) {
            throw in.truncated();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw in.invalid(e);
        }
    }

    // ---- log entries -------------------------------------------------------------------------------------

    public static byte[] encode(LogEntry entry) {
        Out out = new Out(sizeOf(entry));
        out.b(VERSION).b((byte) entry.kind().ordinal());
        switch (entry.kind()) {
            case PROPOSAL_SENT -> {
                LogEntry.ProposalSent p = (LogEntry.ProposalSent) entry;
                out.l(p.slot()).nullableBatch(p.batchOrNullForEmpty());
            }
            case STATE_SENT -> {
                LogEntry.StateSent s = (LogEntry.StateSent) entry;
                out.l(s.slot()).i(s.round()).b((byte) s.value()).batchId(s.batchIdOrNull());
            }
            case VOTE_SENT -> {
                LogEntry.VoteSent v = (LogEntry.VoteSent) entry;
                out.l(v.slot()).i(v.round()).b((byte) v.value()).batchId(v.batchIdOrNull());
            }
            case DECIDED -> {
                LogEntry.DecidedEntry d = (LogEntry.DecidedEntry) entry;
                out.l(d.slot()).nullableBatch(d.batchOrNullForNoop());
            }
            case BATCH_SEALED -> out.batch(((LogEntry.BatchSealed) entry).batch());
        }
        return out.bytes();
    }

    public static LogEntry decodeLogEntry(byte[] bytes) {
        In in = new In(bytes, "log entry");
        LogEntry.Kind kind = in.kind(LogEntry.Kind.values());
        try {
            LogEntry entry = switch (kind) {
                case PROPOSAL_SENT -> new LogEntry.ProposalSent(in.l(), in.nullableBatch());
                case STATE_SENT -> new LogEntry.StateSent(in.l(), in.i(), in.b(), in.batchId());
                case VOTE_SENT -> new LogEntry.VoteSent(in.l(), in.i(), in.b(), in.batchId());
                case DECIDED -> new LogEntry.DecidedEntry(in.l(), in.nullableBatch());
                case BATCH_SEALED -> new LogEntry.BatchSealed(in.batch());
            };
            in.end();
            return entry;
        } catch (BufferUnderflowException e) {
            throw in.truncated();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw in.invalid(e);
        }
    }

    // ---- sizes -------------------------------------------------------------------------------------------

    private static int sizeOf(Message m) {
        return 2 + switch (m.kind()) {
            case FORWARD -> batchSize(((Message.Forward) m).batch());
            case PROPOSAL -> 8 + 13;
            case STATE, VOTE -> 8 + 4 + 1 + 13;
            case DECIDED -> 8 + 1 + nullableBatchSize(((Message.Decided) m).batchOrNullForNoop());
            case FETCH_REQUEST, SNAPSHOT_REQUIRED -> 8;
            case FETCH_RESPONSE -> 4 + ((Message.FetchResponse) m).slots().stream()
                    .mapToInt(s -> 8 + 1 + nullableBatchSize(s.batchOrNullForNoop())).sum();
            case BATCH_REQUEST -> 13;
            case BATCH_RESPONSE -> batchSize(((Message.BatchResponse) m).batch());
            case BATCH_COMMITTED -> 13;
            case COMMITTED_REQUEST -> 8;
            case COMMITTED_SUMMARY -> 8 + 4 + ((Message.CommittedSummary) m).origins().stream()
                    .mapToInt(o -> 4 + 8 + 4 + 8 * o.seqsAbove().size()).sum();
        };
    }

    private static int sizeOf(LogEntry e) {
        return 2 + switch (e.kind()) {
            case PROPOSAL_SENT -> 8 + 1 + nullableBatchSize(((LogEntry.ProposalSent) e).batchOrNullForEmpty());
            case STATE_SENT, VOTE_SENT -> 8 + 4 + 1 + 13;
            case DECIDED -> 8 + 1 + nullableBatchSize(((LogEntry.DecidedEntry) e).batchOrNullForNoop());
            case BATCH_SEALED -> batchSize(((LogEntry.BatchSealed) e).batch());
        };
    }

    private static int nullableBatchSize(Batch b) {
        return b == null ? 0 : batchSize(b);
    }

    private static int batchSize(Batch b) {
        int size = 12 + 8 + 4;
        for (Command c : b.commands()) {
            size += MIN_COMMAND_BYTES + c.payload().length;
        }
        return size;
    }

    // ---- primitives ----------------------------------------------------------------------------------------

    private static final class Out {
        private final ByteBuffer buf;

        Out(int size) {
            buf = ByteBuffer.allocate(size);
        }

        Out b(byte v) {
            buf.put(v);
            return this;
        }

        Out i(int v) {
            buf.putInt(v);
            return this;
        }

        Out l(long v) {
            buf.putLong(v);
            return this;
        }

        /** Presence byte, then origin and seq. Always 13 bytes so sizes stay simple. */
        Out batchId(BatchId id) {
            if (id == null) {
                return b(NULL).i(0).l(0);
            }
            return b(PRESENT).i(id.origin()).l(id.seq());
        }

        Out batch(Batch b) {
            i(b.id().origin()).l(b.id().seq()).l(b.timestampMicros()).i(b.commands().size());
            for (Command c : b.commands()) {
                l(c.clientId()).l(c.seq()).i(c.payload().length);
                buf.put(c.payload());
            }
            return this;
        }

        Out nullableBatch(Batch b) {
            if (b == null) {
                return b(NULL);
            }
            b(PRESENT);
            return batch(b);
        }

        byte[] bytes() {
            if (buf.hasRemaining()) {
                throw new IllegalStateException("codec size computed " + buf.capacity() + " bytes but wrote "
                        + buf.position());
            }
            return buf.array();
        }
    }

    private static final class In {
        private final ByteBuffer buf;
        private final String what;

        In(byte[] bytes, String what) {
            this.buf = ByteBuffer.wrap(bytes);
            this.what = what;
            if (bytes.length < 2) {
                throw new CodecException(what + ": " + bytes.length + " bytes is shorter than the 2-byte header");
            }
            byte version = buf.get();
            if (version != VERSION) {
                throw new CodecException(what + ": unknown format version " + version + " at offset 0 (expected "
                        + VERSION + ")");
            }
        }

        <E extends Enum<E>> E kind(E[] values) {
            int kind = buf.get();
            if (kind < 0 || kind >= values.length) {
                throw new CodecException(what + ": unknown kind " + kind + " at offset 1");
            }
            return values[kind];
        }

        int b() {
            return buf.get();
        }

        int i() {
            return buf.getInt();
        }

        long l() {
            return buf.getLong();
        }

        int count(int minBytesEach, String of) {
            int at = buf.position();
            int count = buf.getInt();
            if (count < 0 || (long) count * minBytesEach > buf.remaining()) {
                throw new CodecException(what + ": count of " + of + " " + count + " at offset " + at
                        + " does not fit the " + buf.remaining() + " remaining bytes");
            }
            return count;
        }

        BatchId batchId() {
            int at = buf.position();
            byte present = buf.get();
            int origin = buf.getInt();
            long seq = buf.getLong();
            if (present == NULL) {
                return null;
            }
            if (present != PRESENT) {
                throw new CodecException(what + ": batch id marker " + present + " at offset " + at + " is not 0 or 1");
            }
            return new BatchId(origin, seq);
        }

        Batch batch() {
            BatchId id = new BatchId(buf.getInt(), buf.getLong());
            long timestamp = buf.getLong();
            int count = count(MIN_COMMAND_BYTES, "commands");
            List<Command> commands = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                long clientId = buf.getLong();
                long seq = buf.getLong();
                int at = buf.position();
                int length = buf.getInt();
                if (length < 0 || length > buf.remaining()) {
                    throw new CodecException(what + ": command payload length " + length + " at offset " + at
                            + " exceeds the " + buf.remaining() + " remaining bytes");
                }
                byte[] payload = new byte[length];
                buf.get(payload);
                commands.add(new Command(clientId, seq, payload));
            }
            return new Batch(id, timestamp, commands);
        }

        Batch nullableBatch() {
            int at = buf.position();
            byte present = buf.get();
            if (present == NULL) {
                return null;
            }
            if (present != PRESENT) {
                throw new CodecException(what + ": batch marker " + present + " at offset " + at + " is not 0 or 1");
            }
            return batch();
        }

        void end() {
            if (buf.hasRemaining()) {
                throw new CodecException(what + ": " + buf.remaining() + " trailing bytes at offset " + buf.position());
            }
        }

        CodecException truncated() {
            return new CodecException(what + ": truncated at offset " + buf.position() + " of " + buf.capacity()
                    + " bytes");
        }

        CodecException invalid(RuntimeException e) {
            return new CodecException(what + ": invalid field before offset " + buf.position() + ": " + e.getMessage());
        }
    }
}
