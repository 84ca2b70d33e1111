package io.aether.core.client;

import io.aether.core.kv.KeyValue;
import io.aether.core.kv.WatchEvent;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client protocol between {@link KvClient} and a core node, carried in transport frames. Commands and
 * results are {@link io.aether.core.kv.KvCodec} bytes; this class frames requests, responses and watch
 * traffic around them. Every decode failure is a {@link WireException} naming the frame type and offset.
 */
public final class KvWire {

    /** Client → node: a command, through the log or as a local read. */
    public static final byte REQUEST = 0x10;
    /** Node → client: the outcome of a request. */
    public static final byte RESPONSE = 0x11;
    /** Client → node: start a watch. */
    public static final byte WATCH_START = 0x12;
    /** Node → client: the events of one revision of a watch. */
    public static final byte WATCH_EVENTS = 0x13;
    /** Client → node: cancel a watch. */
    public static final byte WATCH_CANCEL = 0x14;
    /** Node → client: a watch ended (compacted, slow consumer, node state reset). */
    public static final byte WATCH_ENDED = 0x15;

    /** How a request is served. */
    public enum Mode {
        /** Ordered by consensus: writes and linearizable reads. */
        LOG,
        /** Answered from the node's local state: fast, possibly stale. */
        LOCAL
    }

    /** How a request ended on the node. */
    public enum Status {
        /** {@code body} is an encoded {@link io.aether.core.kv.KvResult}. */
        OK,
        /** The node is overloaded or not ready; {@code body} says why. Safe to retry (same clientId and seq). */
        RETRY,
        /** The request itself is malformed; retrying will not help. */
        BAD_REQUEST
    }

    /** Why a watch ended. */
    public enum WatchEnd {
        /** {@code fromRevision} was compacted; {@code revision} is the oldest available. Re-read, then watch again. */
        COMPACTED,
        /** The node dropped the watch; resume from {@code revision}. */
        RESUME,
        /** The node refused the watch (limits, bad prefix); {@code message} says why. */
        REFUSED
    }

    public record Request(long requestId, Mode mode, long clientId, long seq, byte[] command) {
    }

    public record Response(long requestId, Status status, byte[] body) {
    }

    public record WatchStart(long watchId, long fromRevision, String prefix) {
    }

    public record WatchEvents(long watchId, long revision, List<WatchEvent> events) {
    }

    public record WatchEnded(long watchId, WatchEnd reason, long revision, String message) {
    }

    private KvWire() {
    }

    public static byte[] encode(Request r) {
        ByteBuffer b = ByteBuffer.allocate(8 + 1 + 8 + 8 + r.command().length);
        b.putLong(r.requestId()).put((byte) r.mode().ordinal()).putLong(r.clientId()).putLong(r.seq()).put(r.command());
        return b.array();
    }

    public static Request decodeRequest(byte[] bytes) {
        return decode("request", bytes, b -> {
            long id = b.getLong();
            Mode mode = enumAt(Mode.values(), b.get(), "mode", b);
            long clientId = b.getLong();
            long seq = b.getLong();
            byte[] command = new byte[b.remaining()];
            b.get(command);
            return new Request(id, mode, clientId, seq, command);
        });
    }

    public static byte[] encode(Response r) {
        ByteBuffer b = ByteBuffer.allocate(8 + 1 + r.body().length);
        b.putLong(r.requestId()).put((byte) r.status().ordinal()).put(r.body());
        return b.array();
    }

    public static Response decodeResponse(byte[] bytes) {
        return decode("response", bytes, b -> {
            long id = b.getLong();
            Status status = enumAt(Status.values(), b.get(), "status", b);
            byte[] body = new byte[b.remaining()];
            b.get(body);
            return new Response(id, status, body);
        });
    }

    public static byte[] encode(WatchStart w) {
        byte[] prefix = w.prefix().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(16 + prefix.length).putLong(w.watchId()).putLong(w.fromRevision()).put(prefix)
                .array();
    }

    public static WatchStart decodeWatchStart(byte[] bytes) {
        return decode("watch start", bytes, b -> new WatchStart(b.getLong(), b.getLong(), rest(b)));
    }

    public static byte[] encodeWatchCancel(long watchId) {
        return ByteBuffer.allocate(8).putLong(watchId).array();
    }

    public static long decodeWatchCancel(byte[] bytes) {
        return decode("watch cancel", bytes, ByteBuffer::getLong);
    }

    public static byte[] encode(WatchEnded w) {
        byte[] message = w.message().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 1 + 8 + message.length).putLong(w.watchId()).put((byte) w.reason().ordinal())
                .putLong(w.revision()).put(message).array();
    }

    public static WatchEnded decodeWatchEnded(byte[] bytes) {
        return decode("watch ended", bytes, b -> new WatchEnded(b.getLong(),
                enumAt(WatchEnd.values(), b.get(), "reason", b), b.getLong(), rest(b)));
    }

    public static byte[] encode(WatchEvents w) {
        int size = 8 + 8 + 4;
        for (WatchEvent e : w.events()) {
            size += 1 + kvSize(e.kv()) + 1 + e.prevKv().map(KvWire::kvSize).orElse(0);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putLong(w.watchId()).putLong(w.revision()).putInt(w.events().size());
        for (WatchEvent e : w.events()) {
            b.put((byte) e.type().ordinal());
            putKv(b, e.kv());
            b.put((byte) (e.prevKv().isPresent() ? 1 : 0));
            e.prevKv().ifPresent(kv -> putKv(b, kv));
        }
        return b.array();
    }

    public static WatchEvents decodeWatchEvents(byte[] bytes) {
        return decode("watch events", bytes, b -> {
            long watchId = b.getLong();
            long revision = b.getLong();
            int count = b.getInt();
            // Each event takes at least 2 + 2 * 28 bytes: a count above that is garbage, not a reason to allocate.
            if (count < 0 || count > b.remaining() / 30) {
                throw new WireException("event count " + count + " does not fit the "
                        + b.remaining() + " remaining bytes at offset " + (b.position() - 4));
            }
            List<WatchEvent> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                WatchEvent.Type type = enumAt(WatchEvent.Type.values(), b.get(), "event type", b);
                KeyValue kv = getKv(b);
                Optional<KeyValue> prev = b.get() == 1 ? Optional.of(getKv(b)) : Optional.empty();
                events.add(new WatchEvent(type, kv, prev));
            }
            return new WatchEvents(watchId, revision, events);
        });
    }

    private static int kvSize(KeyValue kv) {
        return 4 + kv.key().getBytes(StandardCharsets.UTF_8).length + 4 + kv.value().length + 24;
    }

    private static void putKv(ByteBuffer b, KeyValue kv) {
        byte[] key = kv.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = kv.value();
        b.putInt(key.length).put(key).putInt(value.length).put(value);
        b.putLong(kv.createRevision()).putLong(kv.modRevision()).putLong(kv.version());
    }

    private static KeyValue getKv(ByteBuffer b) {
        String key = new String(bytes(b, "key"), StandardCharsets.UTF_8);
        byte[] value = bytes(b, "value");
        return new KeyValue(key, value, b.getLong(), b.getLong(), b.getLong());
    }

    private static byte[] bytes(ByteBuffer b, String what) {
        int at = b.position();
        int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
            throw new WireException(what + " length " + length + " at offset " + at + " exceeds the "
                    + b.remaining() + " remaining bytes");
        }
        byte[] out = new byte[length];
        b.get(out);
        return out;
    }

    private static String rest(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return new String(out, StandardCharsets.UTF_8);
    }

    private static <E extends Enum<E>> E enumAt(E[] values, byte ordinal, String what, ByteBuffer b) {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new WireException("unknown " + what + " " + ordinal + " at offset " + (b.position() - 1));
        }
        return values[ordinal];
    }

    private interface Reader<T> {
        T read(ByteBuffer b);
    }

    private static <T> T decode(String what, byte[] bytes, Reader<T> reader) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            return reader.read(b);
        } catch (BufferUnderflowException e) {
            throw new WireException(what + ": truncated at offset " + b.position() + " of " + bytes.length + " bytes");
        } catch (WireException | IllegalArgumentException e) {
            throw new WireException(what + ": " + e.getMessage());
        }
    }
}
