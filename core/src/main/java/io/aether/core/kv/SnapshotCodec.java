package io.aether.core.kv;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The snapshot format: magic, format version, revision, the keys in key order, the dedupe table in
 * least-recently-applied order, then a CRC32C of everything before it. Equal states give equal bytes.
 */
final class SnapshotCodec {

    static final int MAGIC = 0x414B5653; // "AKVS"
    static final int FORMAT_VERSION = 1;

    private static final ClientSessions.Kind[] KINDS = ClientSessions.Kind.values();
    private static final int MIN_KV_BYTES = 32;
    private static final int MIN_SESSION_BYTES = 20;
    private static final int MIN_ENTRY_BYTES = 9;
    private static final int DRAIN_BYTES = 64 << 10;

    /** What a snapshot holds. */
    record Contents(KvStore store, ClientSessions sessions) {
    }

    private SnapshotCodec() {
    }

    /**
     * Captures the state now and returns its encoder, which may run on another thread while the store changes:
     * keys and session entries are immutable records, so the capture copies references only (a few ms for
     * hundreds of thousands of keys, where encoding them takes hundreds).
     */
    static CapturedSnapshot capture(KvStore store, ClientSessions sessions) {
        long revision = store.revision();
        List<KeyValue> keys = new ArrayList<>(store.size());
        store.all().forEach(keys::add);
        List<CapturedSession> captured = new ArrayList<>(sessions.size());
        for (Map.Entry<Long, ClientSessions.Session> client : sessions.inOrder()) {
            ClientSessions.Session session = client.getValue();
            List<Map.Entry<Long, ClientSessions.Entry>> entries = new ArrayList<>(session.entries.size());
            for (Map.Entry<Long, ClientSessions.Entry> e : session.entries.entrySet()) {
                entries.add(Map.entry(e.getKey(), e.getValue())); // a TreeMap's own entries change in place
            }
            captured.add(new CapturedSession(client.getKey(), session.maxSeq, entries));
        }
        return sink -> encode(revision, keys, captured, sink);
    }

    private record CapturedSession(long clientId, long maxSeq, List<Map.Entry<Long, ClientSessions.Entry>> entries) {}

    /**
     * Hands the snapshot to {@code out} in pieces of about {@value #DRAIN_BYTES} bytes: a snapshot of hundreds of
     * megabytes never sits in one array (it took five copies of the whole snapshot and ran a 1 GiB node out of
     * heap).
     */
    private static void encode(long revision, List<KeyValue> keys, List<CapturedSession> sessions,
                               Consumer<byte[]> out) {
        CRC32C crc = new CRC32C();
        ByteWriter buffer = new ByteWriter(DRAIN_BYTES + 1024);
        buffer.writeInt(MAGIC);
        buffer.writeByte(FORMAT_VERSION);
        buffer.writeLong(revision);
        buffer.writeInt(keys.size());
        for (KeyValue kv : keys) {
            KvCodec.writeKv(buffer, kv);
            drainWhenFull(buffer, out, crc);
        }
        buffer.writeInt(sessions.size());
        for (CapturedSession session : sessions) {
            buffer.writeLong(session.clientId());
            buffer.writeLong(session.maxSeq());
            buffer.writeInt(session.entries().size());
            for (Map.Entry<Long, ClientSessions.Entry> entry : session.entries()) {
                buffer.writeLong(entry.getKey());
                buffer.writeByte(entry.getValue().kind().ordinal());
                if (entry.getValue().kind() == ClientSessions.Kind.CACHED) {
                    buffer.writeBytes(entry.getValue().result());
                }
                drainWhenFull(buffer, out, crc);
            }
        }
        drain(buffer, out, crc);
        buffer.writeInt((int) crc.getValue());
        out.accept(buffer.drain());
    }

    private static void drainWhenFull(ByteWriter buffer, Consumer<byte[]> out, CRC32C crc) {
        if (buffer.size() >= DRAIN_BYTES) {
            drain(buffer, out, crc);
        }
    }

    private static void drain(ByteWriter buffer, Consumer<byte[]> out, CRC32C crc) {
        byte[] piece = buffer.drain();
        crc.update(piece);
        out.accept(piece);
    }

    static Contents read(byte[] snapshot, KvLimits limits) {
        ByteReader in = new ByteReader("snapshot", snapshot);
        checkCrc(in, snapshot);
        int magic = in.readInt("magic");
        if (magic != MAGIC) {
            throw in.fail(0, "magic 0x" + Integer.toHexString(magic) + " is not a KV snapshot's 0x"
                    + Integer.toHexString(MAGIC));
        }
        int version = in.readByte("format version");
        if (version != FORMAT_VERSION) {
            throw in.fail(4, "format version " + version + " is not supported (only " + FORMAT_VERSION + ")");
        }
        long revision = in.readLong("revision");
        if (revision < 0) {
            throw in.fail(5, "revision " + revision + " is negative");
        }
        int keyCount = in.readCount("key", MIN_KV_BYTES);
        TreeMap<String, KeyValue> keys = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < keyCount; i++) {
            int at = in.offset();
            KeyValue kv = KvCodec.readKv(in);
            if (previous != null && previous.compareTo(kv.key()) >= 0) {
                throw in.fail(at, "key '" + Validation.shown(kv.key()) + "' is not after '"
                        + Validation.shown(previous) + "'; keys must be unique and sorted");
            }
            if (kv.version() < 1 || kv.createRevision() < 1 || kv.createRevision() > kv.modRevision()
                    || kv.modRevision() > revision) {
                throw in.fail(at, "key '" + Validation.shown(kv.key()) + "' has create/mod revision "
                        + kv.createRevision() + "/" + kv.modRevision() + " and version " + kv.version()
                        + ", impossible at revision " + revision);
            }
            keys.put(kv.key(), kv);
            previous = kv.key();
        }
        ClientSessions sessions = new ClientSessions(limits);
        int clientCount = in.readCount("client", MIN_SESSION_BYTES);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < clientCount; i++) {
            int at = in.offset();
            long clientId = in.readLong("client id");
            if (!seen.add(clientId)) {
                throw in.fail(at, "client " + clientId + " appears twice");
            }
            long maxSeq = in.readLong("max seq");
            int entryCount = in.readCount("dedupe entry", MIN_ENTRY_BYTES);
            TreeMap<Long, ClientSessions.Entry> entries = new TreeMap<>();
            for (int j = 0; j < entryCount; j++) {
                long seq = in.readLong("seq");
                int kindAt = in.offset();
                int kind = in.readByte("dedupe entry kind");
                if (kind >= KINDS.length) {
                    throw in.fail(kindAt, "dedupe entry kind " + kind + " is unknown");
                }
                byte[] result = KINDS[kind] == ClientSessions.Kind.CACHED
                        ? in.readBytes("cached result") : new byte[0];
                entries.put(seq, new ClientSessions.Entry(KINDS[kind], result));
            }
            sessions.restore(clientId, maxSeq, entries);
        }
        in.readInt("crc");
        in.expectEnd();
        return new Contents(new KvStore(keys, revision), sessions);
    }

    private static void checkCrc(ByteReader in, byte[] snapshot) {
        if (snapshot.length < 4) {
            throw in.fail(0, "too short to hold a checksum");
        }
        CRC32C crc = new CRC32C();
        crc.update(snapshot, 0, snapshot.length - 4);
        int stored = ((snapshot[snapshot.length - 4] & 0xff) << 24) | ((snapshot[snapshot.length - 3] & 0xff) << 16)
                | ((snapshot[snapshot.length - 2] & 0xff) << 8) | (snapshot[snapshot.length - 1] & 0xff);
        if ((int) crc.getValue() != stored) {
            throw in.fail(snapshot.length - 4, "crc32c mismatch (stored 0x" + Integer.toHexString(stored)
                    + ", computed 0x" + Integer.toHexString((int) crc.getValue()) + "); the snapshot is corrupt");
        }
    }
}
