package io.aether.core.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The binary form of {@link KvCommand} and {@link KvResult}: a tag byte, then the fields big-endian; strings and
 * byte arrays are an int length then the bytes. Decoding never trusts a length: garbage fails with a
 * {@link KvCodecException} naming the offset, never with anything else.
 */
public final class KvCodec {

    private static final int PUT = 1;
    private static final int DELETE = 2;
    private static final int DELETE_RANGE = 3;
    private static final int CAS = 4;
    private static final int TXN = 5;
    private static final int GET = 6;
    private static final int RANGE = 7;
    private static final int NOOP = 8;

    private static final int OK = 1;
    private static final int CAS_FAILED = 2;
    private static final int TXN_RESULT = 3;
    private static final int GET_RESULT = 4;
    private static final int RANGE_RESULT = 5;
    private static final int DELETED = 6;
    private static final int ERROR = 7;

    /** Smallest encodings, used to bound decoded counts by the bytes left. */
    private static final int MIN_OP_BYTES = 5;
    private static final int MIN_COMPARE_BYTES = 7;
    private static final int MIN_RESULT_BYTES = 9;
    private static final int MIN_KV_BYTES = 32;

    private static final KvErrorCode[] ERROR_CODES = KvErrorCode.values();
    private static final KvCommand.Compare.Target[] TARGETS = KvCommand.Compare.Target.values();
    private static final KvCommand.Compare.Operator[] OPERATORS = KvCommand.Compare.Operator.values();

    private KvCodec() {
    }

    /** @throws KvCodecException if a string has no UTF-8 form (an unpaired surrogate) */
    public static byte[] encodeCommand(KvCommand command) {
        ByteWriter out = new ByteWriter(64);
        writeCommand(out, command);
        return out.toByteArray();
    }

    public static KvCommand decodeCommand(byte[] bytes) {
        ByteReader in = new ByteReader("command", bytes);
        KvCommand command = readCommand(in);
        in.expectEnd();
        return command;
    }

    /** @throws KvCodecException if a string has no UTF-8 form (an unpaired surrogate) */
    public static byte[] encodeResult(KvResult result) {
        ByteWriter out = new ByteWriter(32);
        writeResult(out, result);
        return out.toByteArray();
    }

    public static KvResult decodeResult(byte[] bytes) {
        ByteReader in = new ByteReader("result", bytes);
        KvResult result = readResult(in, true);
        in.expectEnd();
        return result;
    }

    // ---- commands

    private static void writeCommand(ByteWriter out, KvCommand command) {
        if (command instanceof KvCommand.Put put) {
            out.writeByte(PUT);
            out.writeString(put.key(), "key");
            out.writeBytes(put.value());
        } else if (command instanceof KvCommand.Delete delete) {
            out.writeByte(DELETE);
            out.writeString(delete.key(), "key");
        } else if (command instanceof KvCommand.DeleteRange deleteRange) {
            out.writeByte(DELETE_RANGE);
            out.writeString(deleteRange.prefix(), "prefix");
        } else if (command instanceof KvCommand.Cas cas) {
            out.writeByte(CAS);
            out.writeString(cas.key(), "key");
            out.writeLong(cas.expectedModRevision());
            out.writeBoolean(cas.value().isPresent());
            cas.value().ifPresent(out::writeBytes);
        } else if (command instanceof KvCommand.Txn txn) {
            out.writeByte(TXN);
            out.writeInt(txn.compares().size());
            for (KvCommand.Compare compare : txn.compares()) {
                writeCompare(out, compare);
            }
            writeOps(out, txn.success());
            writeOps(out, txn.failure());
        } else if (command instanceof KvCommand.Get get) {
            out.writeByte(GET);
            out.writeString(get.key(), "key");
        } else if (command instanceof KvCommand.Range range) {
            out.writeByte(RANGE);
            out.writeString(range.prefix(), "prefix");
            out.writeString(range.after(), "after");
            out.writeInt(range.limit());
        } else if (command instanceof KvCommand.Noop) {
            out.writeByte(NOOP);
        } else {
            throw new AssertionError("unknown KvCommand " + command.getClass());
        }
    }

    private static void writeOps(ByteWriter out, List<KvCommand.Op> ops) {
        out.writeInt(ops.size());
        for (KvCommand.Op op : ops) {
            writeCommand(out, (KvCommand) op);
        }
    }

    private static void writeCompare(ByteWriter out, KvCommand.Compare compare) {
        out.writeString(compare.key(), "compare key");
        out.writeByte(compare.target().ordinal());
        out.writeByte(compare.operator().ordinal());
        if (compare.target() == KvCommand.Compare.Target.VALUE) {
            out.writeBytes(compare.value());
        } else {
            out.writeLong(compare.number());
        }
    }

    private static KvCommand readCommand(ByteReader in) {
        int at = in.offset();
        int tag = in.readByte("command tag");
        return switch (tag) {
            case PUT -> new KvCommand.Put(in.readString("key"), in.readBytes("value"));
            case DELETE -> new KvCommand.Delete(in.readString("key"));
            case DELETE_RANGE -> new KvCommand.DeleteRange(in.readString("prefix"));
            case CAS -> {
                String key = in.readString("key");
                long expected = in.readLong("expected mod revision");
                Optional<byte[]> value = in.readBoolean("cas value flag")
                        ? Optional.of(in.readBytes("value")) : Optional.empty();
                yield new KvCommand.Cas(key, expected, value);
            }
            case TXN -> {
                int count = in.readCount("compare", MIN_COMPARE_BYTES);
                List<KvCommand.Compare> compares = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    compares.add(readCompare(in));
                }
                List<KvCommand.Op> success = readOps(in, "success");
                List<KvCommand.Op> failure = readOps(in, "failure");
                yield new KvCommand.Txn(compares, success, failure);
            }
            case GET -> new KvCommand.Get(in.readString("key"));
            case RANGE -> new KvCommand.Range(in.readString("prefix"), in.readString("after"),
                    in.readInt("limit"));
            case NOOP -> new KvCommand.Noop();
            default -> throw in.fail(at, "unknown command tag " + tag);
        };
    }

    private static List<KvCommand.Op> readOps(ByteReader in, String branch) {
        int count = in.readCount(branch + " op", MIN_OP_BYTES);
        List<KvCommand.Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = in.offset();
            KvCommand command = readCommand(in);
            if (!(command instanceof KvCommand.Op op)) {
                throw in.fail(at, branch + " op " + i + " is a " + command.getClass().getSimpleName()
                        + ", which a txn cannot contain (only Put, Delete, Get, Range)");
            }
            ops.add(op);
        }
        return ops;
    }

    private static KvCommand.Compare readCompare(ByteReader in) {
        String key = in.readString("compare key");
        KvCommand.Compare.Target target = TARGETS[readEnum(in, "compare target", TARGETS.length)];
        KvCommand.Compare.Operator operator = OPERATORS[readEnum(in, "compare operator", OPERATORS.length)];
        return target == KvCommand.Compare.Target.VALUE
                ? new KvCommand.Compare(key, target, operator, 0, in.readBytes("compare value"))
                : new KvCommand.Compare(key, target, operator, in.readLong("compare number"), new byte[0]);
    }

    private static int readEnum(ByteReader in, String what, int size) {
        int at = in.offset();
        int ordinal = in.readByte(what);
        if (ordinal >= size) {
            throw in.fail(at, what + " " + ordinal + " is unknown (0.." + (size - 1) + ")");
        }
        return ordinal;
    }

    // ---- results

    private static void writeResult(ByteWriter out, KvResult result) {
        if (result instanceof KvResult.Ok ok) {
            out.writeByte(OK);
            out.writeLong(ok.revision());
            writeOptionalKv(out, ok.prevKv());
        } else if (result instanceof KvResult.CasFailed failed) {
            out.writeByte(CAS_FAILED);
            out.writeLong(failed.currentModRevision());
            out.writeLong(failed.revision());
        } else if (result instanceof KvResult.TxnResult txn) {
            out.writeByte(TXN_RESULT);
            out.writeBoolean(txn.succeeded());
            out.writeLong(txn.revision());
            out.writeInt(txn.results().size());
            for (KvResult inner : txn.results()) {
                writeResult(out, inner);
            }
        } else if (result instanceof KvResult.GetResult get) {
            out.writeByte(GET_RESULT);
            out.writeLong(get.revision());
            writeOptionalKv(out, get.kv());
        } else if (result instanceof KvResult.RangeResult range) {
            out.writeByte(RANGE_RESULT);
            out.writeLong(range.revision());
            out.writeBoolean(range.more());
            out.writeInt(range.kvs().size());
            for (KeyValue kv : range.kvs()) {
                writeKv(out, kv);
            }
        } else if (result instanceof KvResult.Deleted deleted) {
            out.writeByte(DELETED);
            out.writeLong(deleted.revision());
            out.writeLong(deleted.count());
            out.writeBoolean(deleted.more());
        } else if (result instanceof KvResult.Error error) {
            out.writeByte(ERROR);
            out.writeByte(error.code().ordinal());
            out.writeString(error.message(), "error message");
        } else {
            throw new AssertionError("unknown KvResult " + result.getClass());
        }
    }

    /** {@code top} is false inside a txn result, whose op results are never txn results themselves. */
    private static KvResult readResult(ByteReader in, boolean top) {
        int at = in.offset();
        int tag = in.readByte("result tag");
        return switch (tag) {
            case OK -> new KvResult.Ok(in.readLong("revision"), readOptionalKv(in, "prevKv"));
            case CAS_FAILED -> new KvResult.CasFailed(in.readLong("current mod revision"), in.readLong("revision"));
            case TXN_RESULT -> {
                if (!top) {
                    throw in.fail(at, "a txn result cannot be nested in a txn result");
                }
                boolean succeeded = in.readBoolean("txn succeeded");
                long revision = in.readLong("revision");
                int count = in.readCount("txn op result", MIN_RESULT_BYTES);
                List<KvResult> results = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    results.add(readResult(in, false));
                }
                yield new KvResult.TxnResult(succeeded, revision, results);
            }
            case GET_RESULT -> {
                long revision = in.readLong("revision");
                yield new KvResult.GetResult(readOptionalKv(in, "kv"), revision);
            }
            case RANGE_RESULT -> {
                long revision = in.readLong("revision");
                boolean more = in.readBoolean("range more");
                int count = in.readCount("range kv", MIN_KV_BYTES);
                List<KeyValue> kvs = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    kvs.add(readKv(in));
                }
                yield new KvResult.RangeResult(kvs, more, revision);
            }
            case DELETED -> {
                long revision = in.readLong("revision");
                long count = in.readLong("deleted count");
                yield new KvResult.Deleted(count, in.readBoolean("deleted more"), revision);
            }
            case ERROR -> new KvResult.Error(ERROR_CODES[readEnum(in, "error code", ERROR_CODES.length)],
                    in.readString("error message"));
            default -> throw in.fail(at, "unknown result tag " + tag);
        };
    }

    private static void writeOptionalKv(ByteWriter out, Optional<KeyValue> kv) {
        out.writeBoolean(kv.isPresent());
        kv.ifPresent(present -> writeKv(out, present));
    }

    private static Optional<KeyValue> readOptionalKv(ByteReader in, String what) {
        return in.readBoolean(what + " flag") ? Optional.of(readKv(in)) : Optional.empty();
    }

    static void writeKv(ByteWriter out, KeyValue kv) {
        out.writeString(kv.key(), "key");
        out.writeBytes(kv.sharedValue());
        out.writeLong(kv.createRevision());
        out.writeLong(kv.modRevision());
        out.writeLong(kv.version());
    }

    static KeyValue readKv(ByteReader in) {
        String key = in.readString("key");
        byte[] value = in.readBytes("value");
        return new KeyValue(key, value, in.readLong("create revision"), in.readLong("mod revision"),
                in.readLong("version"));
    }
}
