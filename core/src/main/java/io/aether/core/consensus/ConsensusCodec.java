package io.aether.core.consensus;

import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of every {@link Message} and {@link LogEntry}: a version byte, a tag byte, then the fields
 * big-endian. Decoding never trusts a length: counts are checked against the bytes left, so garbage fails
 * fast with a {@link CodecException} naming the problem and its offset.
 */
public final class ConsensusCodec {
    /** Format version written first in every encoding. */
    public static final int VERSION = 1;

    private static final int MIN_BATCH_ID_BYTES = 12;
    private static final int MIN_COMMAND_BYTES = 20;
    private static final int MIN_DECIDED_SLOT_BYTES = 9;
    private static final int MIN_ORIGIN_BYTES = 16;

    private ConsensusCodec() {
    }

    // ---- messages

    public static byte[] encode(Message m) {
        ByteWriter w = new ByteWriter(64);
        w.u8(VERSION);
        w.u8(m.kind().ordinal() + 1);
        switch (m.kind()) {
            case FORWARD -> batch(w, ((Message.Forward) m).batch());
            case PROPOSAL -> {
                Message.Proposal p = (Message.Proposal) m;
                w.i64(p.slot());
                optionalId(w, p.batchIdOrNullForEmpty());
            }
            case STATE -> {
                Message.State s = (Message.State) m;
                binary(w, s.slot(), s.round(), s.value(), s.batchIdOrNull());
            }
            case VOTE -> {
                Message.Vote v = (Message.Vote) m;
                binary(w, v.slot(), v.round(), v.value(), v.batchIdOrNull());
            }
            case DECIDED -> {
                Message.Decided d = (Message.Decided) m;
                w.i64(d.slot());
                optionalBatch(w, d.batchOrNullForNoop());
            }
            case FETCH_REQUEST -> w.i64(((Message.FetchRequest) m).fromSlot());
            case FETCH_RESPONSE -> {
                List<DecidedSlot> slots = ((Message.FetchResponse) m).slots();
                w.i32(slots.size());
                for (DecidedSlot ds : slots) {
                    w.i64(ds.slot());
                    optionalBatch(w, ds.batchOrNullForNoop());
                }
            }
            case SNAPSHOT_REQUIRED -> w.i64(((Message.SnapshotRequired) m).firstRetainedSlot());
            case BATCH_REQUEST -> batchId(w, ((Message.BatchRequest) m).id());
            case BATCH_RESPONSE -> batch(w, ((Message.BatchResponse) m).batch());
            case BATCH_COMMITTED -> batchId(w, ((Message.BatchCommitted) m).id());
            case COMMITTED_REQUEST -> w.i64(((Message.CommittedRequest) m).throughSlot());
            case COMMITTED_SUMMARY -> {
                Message.CommittedSummary cs = (Message.CommittedSummary) m;
                w.i64(cs.appliedThroughSlot());
                origins(w, cs.origins());
            }
        }
        return w.toByteArray();
    }

    public static Message decodeMessage(byte[] bytes) throws CodecException {
        return decodeMessage(bytes, 0, bytes.length);
    }

    public static Message decodeMessage(byte[] bytes, int offset, int length) throws CodecException {
        ByteReader r = new ByteReader(bytes, offset, length);
        version(r);
        int tagAt = r.position();
        int tag = r.u8("message tag");
        Message.Kind[] kinds = Message.Kind.values();
        if (tag < 1 || tag > kinds.length) {
            throw new CodecException("unknown message tag " + tag, tagAt);
        }
        Message m;
        try {
            m = switch (kinds[tag - 1]) {
                case FORWARD -> new Message.Forward(batch(r));
                case PROPOSAL -> new Message.Proposal(r.i64("slot"), optionalId(r));
                case STATE -> new Message.State(r.i64("slot"), r.i32("round"), r.u8("state"), optionalId(r));
                case VOTE -> new Message.Vote(r.i64("slot"), r.i32("round"), r.u8("vote"), optionalId(r));
                case DECIDED -> new Message.Decided(r.i64("slot"), optionalBatch(r));
                case FETCH_REQUEST -> new Message.FetchRequest(r.i64("fromSlot"));
                case FETCH_RESPONSE -> {
                    int c = r.count("decided slots", MIN_DECIDED_SLOT_BYTES);
                    List<DecidedSlot> slots = new ArrayList<>(c);
                    for (int i = 0; i < c; i++) {
                        slots.add(new DecidedSlot(r.i64("slot"), optionalBatch(r)));
                    }
                    yield new Message.FetchResponse(slots);
                }
                case SNAPSHOT_REQUIRED -> new Message.SnapshotRequired(r.i64("firstRetainedSlot"));
                case BATCH_REQUEST -> new Message.BatchRequest(batchId(r));
                case BATCH_RESPONSE -> new Message.BatchResponse(batch(r));
                case BATCH_COMMITTED -> new Message.BatchCommitted(batchId(r));
                case COMMITTED_REQUEST -> new Message.CommittedRequest(r.i64("throughSlot"));
                case COMMITTED_SUMMARY -> new Message.CommittedSummary(r.i64("appliedThroughSlot"), origins(r));
            };
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid " + kinds[tag - 1] + " message: " + e.getMessage(), r.position());
        }
        end(r);
        return m;
    }

    // ---- log entries

    public static byte[] encode(LogEntry e) {
        ByteWriter w = new ByteWriter(64);
        w.u8(VERSION);
        w.u8(e.kind().ordinal() + 1);
        switch (e.kind()) {
            case PROPOSAL_SENT -> {
                LogEntry.ProposalSent p = (LogEntry.ProposalSent) e;
                w.i64(p.slot());
                optionalBatch(w, p.batchOrNullForEmpty());
            }
            case STATE_SENT -> {
                LogEntry.StateSent s = (LogEntry.StateSent) e;
                binary(w, s.slot(), s.round(), s.value(), s.batchIdOrNull());
            }
            case VOTE_SENT -> {
                LogEntry.VoteSent v = (LogEntry.VoteSent) e;
                binary(w, v.slot(), v.round(), v.value(), v.batchIdOrNull());
            }
            case DECIDED -> {
                LogEntry.DecidedEntry d = (LogEntry.DecidedEntry) e;
                w.i64(d.slot());
                optionalBatch(w, d.batchOrNullForNoop());
            }
            case BATCH_SEALED -> batchId(w, ((LogEntry.BatchSealed) e).id());
            case COMMITTED_KNOWN -> {
                LogEntry.CommittedKnown ck = (LogEntry.CommittedKnown) e;
                w.i64(ck.throughSlot());
                origins(w, ck.origins());
            }
        }
        return w.toByteArray();
    }

    public static LogEntry decodeLogEntry(byte[] bytes) throws CodecException {
        return decodeLogEntry(bytes, 0, bytes.length);
    }

    public static LogEntry decodeLogEntry(byte[] bytes, int offset, int length) throws CodecException {
        ByteReader r = new ByteReader(bytes, offset, length);
        version(r);
        int tagAt = r.position();
        int tag = r.u8("log entry tag");
        LogEntry.Kind[] kinds = LogEntry.Kind.values();
        if (tag < 1 || tag > kinds.length) {
            throw new CodecException("unknown log entry tag " + tag, tagAt);
        }
        LogEntry e;
        try {
            e = switch (kinds[tag - 1]) {
                case PROPOSAL_SENT -> new LogEntry.ProposalSent(r.i64("slot"), optionalBatch(r));
                case STATE_SENT -> new LogEntry.StateSent(r.i64("slot"), r.i32("round"), r.u8("state"), optionalId(r));
                case VOTE_SENT -> new LogEntry.VoteSent(r.i64("slot"), r.i32("round"), r.u8("vote"), optionalId(r));
                case DECIDED -> new LogEntry.DecidedEntry(r.i64("slot"), optionalBatch(r));
                case BATCH_SEALED -> new LogEntry.BatchSealed(batchId(r));
                case COMMITTED_KNOWN -> new LogEntry.CommittedKnown(r.i64("throughSlot"), origins(r));
            };
        } catch (IllegalArgumentException ex) {
            throw new CodecException("invalid " + kinds[tag - 1] + " log entry: " + ex.getMessage(), r.position());
        }
        end(r);
        return e;
    }

    // ---- fields

    private static void version(ByteReader r) throws CodecException {
        int v = r.u8("version");
        if (v != VERSION) {
            throw new CodecException("unsupported codec version " + v + " (this build reads " + VERSION + ")", 0);
        }
    }

    private static void end(ByteReader r) throws CodecException {
        if (r.remaining() != 0) {
            throw new CodecException(r.remaining() + " trailing bytes after a complete value", r.position());
        }
    }

    private static void binary(ByteWriter w, long slot, int round, int value, BatchId idOrNull) {
        w.i64(slot);
        w.i32(round);
        w.u8(value);
        optionalId(w, idOrNull);
    }

    private static void batchId(ByteWriter w, BatchId id) {
        w.i32(id.origin());
        w.i64(id.seq());
    }

    private static BatchId batchId(ByteReader r) throws CodecException {
        return new BatchId(r.i32("batch origin"), r.i64("batch seq"));
    }

    private static void optionalId(ByteWriter w, BatchId id) {
        if (id == null) {
            w.u8(0);
        } else {
            w.u8(1);
            batchId(w, id);
        }
    }

    private static BatchId optionalId(ByteReader r) throws CodecException {
        return present(r, "batch id") ? batchId(r) : null;
    }

    private static boolean present(ByteReader r, String what) throws CodecException {
        int at = r.position();
        int flag = r.u8(what + " presence flag");
        if (flag > 1) {
            throw new CodecException(what + " presence flag must be 0 or 1, got " + flag, at);
        }
        return flag == 1;
    }

    private static void origins(ByteWriter w, List<OriginCommitted> origins) {
        w.i32(origins.size());
        for (OriginCommitted oc : origins) {
            w.i32(oc.origin());
            w.i64(oc.watermark());
            w.i32(oc.seqsAbove().size());
            for (long seq : oc.seqsAbove()) {
                w.i64(seq);
            }
        }
    }

    private static List<OriginCommitted> origins(ByteReader r) throws CodecException {
        int c = r.count("origins", MIN_ORIGIN_BYTES);
        List<OriginCommitted> origins = new ArrayList<>(c);
        for (int i = 0; i < c; i++) {
            int origin = r.i32("origin");
            long watermark = r.i64("watermark");
            int k = r.count("committed seqs", 8);
            List<Long> seqs = new ArrayList<>(k);
            for (int j = 0; j < k; j++) {
                seqs.add(r.i64("seq"));
            }
            origins.add(new OriginCommitted(origin, watermark, seqs));
        }
        return origins;
    }

    private static void batch(ByteWriter w, Batch b) {
        batchId(w, b.id());
        w.i64(b.timestampMicros());
        w.i32(b.commands().size());
        for (Command c : b.commands()) {
            w.i64(c.clientId());
            w.i64(c.seq());
            w.bytes(c.payload());
        }
    }

    private static Batch batch(ByteReader r) throws CodecException {
        BatchId id = batchId(r);
        long ts = r.i64("batch timestamp");
        int c = r.count("commands", MIN_COMMAND_BYTES);
        List<Command> commands = new ArrayList<>(c);
        for (int i = 0; i < c; i++) {
            commands.add(new Command(r.i64("command clientId"), r.i64("command seq"), r.bytes("command payload")));
        }
        return new Batch(id, ts, commands);
    }

    private static void optionalBatch(ByteWriter w, Batch b) {
        if (b == null) {
            w.u8(0);
        } else {
            w.u8(1);
            batch(w, b);
        }
    }

    private static Batch optionalBatch(ByteReader r) throws CodecException {
        return present(r, "batch") ? batch(r) : null;
    }
}
