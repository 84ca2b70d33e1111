package io.aether.core.kv;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The dedupe table that makes {@code apply} exactly-once per (clientId, seq). Rule: per client it remembers every
 * applied seq in the window {@code (maxSeq - dedupeWindow, maxSeq]} with its encoded result; a seq at or below the
 * window is refused ({@link KvErrorCode#SEQ_TOO_OLD}), since whether it ran is no longer known. Clients are kept in
 * least-recently-applied order; beyond {@code maxTrackedClients} the oldest is forgotten, and an unknown client is
 * accepted only with a seq inside its first window ({@link KvErrorCode#SESSION_UNKNOWN} otherwise). Beyond
 * {@code maxDedupeBytes} of cached results, the oldest clients' results are dropped first (a retry then gets
 * {@link KvErrorCode#RESULT_DROPPED}). Pure reads are not cached: a retry runs them again, which is still
 * linearizable because the client has not yet seen an answer. Bookkeeping besides cached results is bounded by
 * {@code maxTrackedClients * dedupeWindow} entries of a few dozen bytes.
 *
 * <p>Everything here is part of the replicated state: it changes only in {@link #record} and its order is the
 * apply order, so every replica evicts the same clients.
 */
final class ClientSessions {

    /** What is remembered of one applied seq. */
    enum Kind { CACHED, READ, DROPPED }

    /** {@code result} is the encoded result for {@link Kind#CACHED}, else empty. */
    record Entry(Kind kind, byte[] result) {
        /** What counts against the memory bound: only cached results, the part that can be dropped. */
        long bytes() {
            return result.length;
        }
    }

    /** One client's window, keyed by seq. */
    static final class Session {
        long maxSeq;
        final TreeMap<Long, Entry> entries = new TreeMap<>();
    }

    private static final byte[] NO_RESULT = new byte[0];

    private final KvLimits limits;
    private final LinkedHashMap<Long, Session> sessions = new LinkedHashMap<>();
    private long totalBytes;

    ClientSessions(KvLimits limits) {
        this.limits = limits;
    }

    /**
     * What to answer without running the command: a cached result or a refusal. Empty means run it (a new seq,
     * or a read to run again).
     */
    Optional<KvResult> answered(long clientId, long seq) {
        Session session = sessions.get(clientId);
        if (session == null) {
            if (seq > limits.dedupeWindow()) {
                return Optional.of(new KvResult.Error(KvErrorCode.SESSION_UNKNOWN, "client " + clientId
                        + " is not in the dedupe table (never seen, or evicted as the least recently active of "
                        + limits.maxTrackedClients() + " clients) and seq " + seq + " is past its first window of "
                        + limits.dedupeWindow() + ", so a retry cannot be told from a new command; nothing was "
                        + "applied: re-read the state and continue with a new client id"));
            }
            return Optional.empty();
        }
        if (seq <= session.maxSeq - limits.dedupeWindow()) {
            return Optional.of(new KvResult.Error(KvErrorCode.SEQ_TOO_OLD, "seq " + seq + " of client " + clientId
                    + " is below its dedupe window (highest applied seq " + session.maxSeq + ", window "
                    + limits.dedupeWindow() + "), so whether it was applied is unknown; nothing was applied now: "
                    + "re-read the state before retrying"));
        }
        Entry entry = session.entries.get(seq);
        if (entry == null) {
            return Optional.empty();
        }
        return switch (entry.kind()) {
            case CACHED -> Optional.of(KvCodec.decodeResult(entry.result()));
            case READ -> Optional.empty();
            case DROPPED -> Optional.of(new KvResult.Error(KvErrorCode.RESULT_DROPPED, "seq " + seq + " of client "
                    + clientId + " was applied, but its result was dropped to keep the dedupe table within "
                    + limits.maxDedupeBytes() + " bytes; re-read the state to learn the outcome"));
        };
    }

    /** Remembers that (clientId, seq) was applied with this result; {@code readOnly} commands are not cached. */
    void record(long clientId, long seq, KvResult result, boolean readOnly) {
        Session session = sessions.remove(clientId);
        if (session == null) {
            session = new Session();
        }
        sessions.put(clientId, session);
        Entry entry = readOnly ? new Entry(Kind.READ, NO_RESULT) : new Entry(Kind.CACHED, KvCodec.encodeResult(result));
        put(session, seq, entry);
        if (seq > session.maxSeq) {
            session.maxSeq = seq;
            Map<Long, Entry> expired = session.entries.headMap(seq - limits.dedupeWindow(), true);
            for (Entry old : expired.values()) {
                totalBytes -= old.bytes();
            }
            expired.clear();
        }
        evictClients();
        dropResults();
    }

    private void put(Session session, long seq, Entry entry) {
        Entry old = session.entries.put(seq, entry);
        if (old != null) {
            totalBytes -= old.bytes();
        }
        totalBytes += entry.bytes();
    }

    private void evictClients() {
        Iterator<Session> oldest = sessions.values().iterator();
        while (sessions.size() > limits.maxTrackedClients()) {
            Session evicted = oldest.next();
            for (Entry entry : evicted.entries.values()) {
                totalBytes -= entry.bytes();
            }
            oldest.remove();
        }
    }

    private void dropResults() {
        Iterator<Session> oldest = sessions.values().iterator();
        while (totalBytes > limits.maxDedupeBytes() && oldest.hasNext()) {
            Session session = oldest.next();
            for (Map.Entry<Long, Entry> e : session.entries.entrySet()) {
                if (totalBytes <= limits.maxDedupeBytes()) {
                    return;
                }
                if (e.getValue().kind() == Kind.CACHED) {
                    totalBytes -= e.getValue().bytes();
                    e.setValue(new Entry(Kind.DROPPED, NO_RESULT));
                }
            }
        }
    }

    int size() {
        return sessions.size();
    }

    /** Clients in least-recently-applied order, for the snapshot. */
    Iterable<Map.Entry<Long, Session>> inOrder() {
        return sessions.entrySet();
    }

    /** Restores one client; call in the snapshot's order. */
    void restore(long clientId, long maxSeq, TreeMap<Long, Entry> entries) {
        Session session = new Session();
        session.maxSeq = maxSeq;
        for (Map.Entry<Long, Entry> e : entries.entrySet()) {
            put(session, e.getKey(), e.getValue());
        }
        if (sessions.put(clientId, session) != null) {
            throw new IllegalStateException("client " + clientId + " restored twice");
        }
    }
}
