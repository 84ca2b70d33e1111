package io.aether.core.client;

import io.aether.core.client.KvWire.Mode;
import io.aether.core.kv.CompactedException;
import io.aether.core.kv.KeyValue;
import io.aether.core.kv.KvCodec;
import io.aether.core.kv.KvCommand;
import io.aether.core.kv.KvResult;
import io.aether.core.kv.Watch;
import io.aether.core.kv.WatchListener;
import io.aether.core.net.ConnectionState;
import io.aether.core.net.TransportClient;
import io.aether.core.net.TransportClientConfig;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The one way Aether talks to its replicated KV. Writes and linearizable reads go through the Rabia log;
 * {@link #getLocal} and {@link #rangeLocal} are answered by the connected node alone.
 *
 * <p>Safety of retries: every logged request carries (clientId, seq) from one of the client's dedupe
 * sessions, so resending it — after a timeout, a lost connection or a fail-over to another core node — applies
 * it at most once, and the answer is the one the first application produced. Each request has a deadline;
 * when it passes the future fails with {@link KvException} naming the request and the attempts made.
 *
 * <p>Thread-safe. Futures complete on a Vert.x event-loop thread: do not block in their callbacks.
 */
public final class KvClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KvClient.class.getName());
    private static final long TIMER_PERIOD_MS = 20;

    private final KvClientConfig config;
    private final Vertx vertx;
    private final TransportClient transport;
    private final long timerId;
    private final Session[] sessions;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private final Map<Long, WatchState> watches = new HashMap<>();
    private long nextRequestId = 1;
    private long nextWatchId = 1;
    private boolean connected;
    private boolean closed;

    private static final class Session {
        final long clientId;
        long nextSeq = 1;
        int inFlight;
        /** Seqs sent and not yet answered: a new seq must stay within the KV's dedupe window of the oldest. */
        final java.util.TreeSet<Long> outstanding = new java.util.TreeSet<>();

        boolean canTakeAnother() {
            return inFlight < KvClientConfig.SESSION_WINDOW
                    && (outstanding.isEmpty() || nextSeq - outstanding.first() < KvClientConfig.SESSION_WINDOW);
        }

        Session(long clientId) {
            this.clientId = clientId;
        }
    }

    private static final class Pending {
        final long requestId;
        final Mode mode;
        final String what;
        final byte[] command;
        final long deadlineNanos;
        final CompletableFuture<KvResult> future = new CompletableFuture<>();
        Session session;
        long seq;
        long lastSentNanos;
        int attempts;
        String lastProblem = "no answer";

        Pending(long requestId, Mode mode, String what, byte[] command, long deadlineNanos) {
            this.requestId = requestId;
            this.mode = mode;
            this.what = what;
            this.command = command;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private static final class WatchState implements Watch {
        final KvClient client;
        final long watchId;
        final String prefix;
        final WatchListener listener;
        long nextRevision;

        WatchState(KvClient client, long watchId, String prefix, long fromRevision, WatchListener listener) {
            this.client = client;
            this.watchId = watchId;
            this.prefix = prefix;
            this.nextRevision = fromRevision;
            this.listener = listener;
        }

        @Override
        public void cancel() {
            client.cancelWatch(this);
        }

        @Override
        public boolean isCancelled() {
            return client.isWatchCancelled(this);
        }

        @Override
        public String prefix() {
            return prefix;
        }
    }

    private KvClient(Vertx vertx, KvClientConfig config, TransportClient transport, long timerId, Session[] sessions,
                     Listener listener) {
        this.vertx = vertx;
        this.config = config;
        this.transport = transport;
        this.timerId = timerId;
        this.sessions = sessions;
        listener.client = this;
    }

    /** Relays transport events to the client built after the transport started. */
    private static final class Listener implements TransportClient.Listener {
        volatile KvClient client;
        private final List<Runnable> early = new ArrayList<>();

        @Override
        public void onFrame(byte type, byte[] payload) {
            KvClient c = client;
            if (c != null) {
                c.onFrame(type, payload);
            }
        }

        @Override
        public void onStateChange(ConnectionState state) {
            KvClient c = client;
            if (c != null) {
                c.onState(state);
            } else {
                synchronized (early) {
                    early.add(() -> client.onState(state));
                }
            }
        }

        void replayEarly() {
            synchronized (early) {
                early.forEach(Runnable::run);
                early.clear();
            }
        }
    }

    /**
     * Starts a client; requests made before the first connection wait for it (within their deadline).
     * Blocks until the transport client is started (not until it is connected).
     */
    public static KvClient connect(Vertx vertx, KvClientConfig config) {
        Listener listener = new Listener();
        TransportClientConfig transportConfig = TransportClientConfig
                .defaults(config.name(), config.clusterId(), config.servers()).withSecret(config.secret());
        TransportClient transport;
        try {
            transport = TransportClient.start(vertx, transportConfig, listener).toCompletionStage()
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new KvException("KvClient '" + config.name() + "' could not start its transport to "
                    + config.servers() + ": " + e);
        }
        Session[] sessions = new Session[config.sessions()];
        for (int i = 0; i < sessions.length; i++) {
            // Random ids: two clients, or one client restarted, never share a dedupe session.
            sessions[i] = new Session(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
        }
        KvClient[] holder = new KvClient[1];
        long timerId = vertx.setPeriodic(TIMER_PERIOD_MS, id -> holder[0].onTimer());
        KvClient client = new KvClient(vertx, config, transport, timerId, sessions, listener);
        holder[0] = client;
        listener.replayEarly();
        return client;
    }

    // ---- typed operations -------------------------------------------------------------------------------

    /** Puts {@code value} at {@code key}; completes with the revision of the write. */
    public CompletableFuture<Long> put(String key, byte[] value) {
        return execute(new KvCommand.Put(key, value)).thenApply(r -> expect(r, KvResult.Ok.class, "put", key).revision());
    }

    /** Deletes {@code key}; completes with the revision (unchanged when the key did not exist). */
    public CompletableFuture<KvResult> delete(String key) {
        return execute(new KvCommand.Delete(key));
    }

    /**
     * Writes {@code value} (or deletes, when empty) only if {@code key}'s mod revision is
     * {@code expectedModRevision} (0: the key must not exist). Completes with true when it applied.
     */
    public CompletableFuture<Boolean> cas(String key, long expectedModRevision, Optional<byte[]> value) {
        return execute(new KvCommand.Cas(key, expectedModRevision, value)).thenApply(r -> {
            if (r instanceof KvResult.CasFailed) {
                return false;
            }
            expect(r, KvResult.Ok.class, "cas", key);
            return true;
        });
    }

    /** Linearizable read: ordered through the log, so it sees every write acknowledged before it began. */
    public CompletableFuture<Optional<KeyValue>> get(String key) {
        return execute(new KvCommand.Get(key)).thenApply(r -> expect(r, KvResult.GetResult.class, "get", key).kv());
    }

    /** Serializable read from the connected node's local state: fast, may miss the latest writes. */
    public CompletableFuture<Optional<KeyValue>> getLocal(String key) {
        return execute(new KvCommand.Get(key), Mode.LOCAL)
                .thenApply(r -> expect(r, KvResult.GetResult.class, "get", key).kv());
    }

    /** Linearizable range over keys starting with {@code prefix}, at most {@code limit}. */
    public CompletableFuture<KvResult.RangeResult> range(String prefix, int limit) {
        return execute(new KvCommand.Range(prefix, limit))
                .thenApply(r -> expect(r, KvResult.RangeResult.class, "range", prefix));
    }

    /** Serializable range from the connected node's local state. */
    public CompletableFuture<KvResult.RangeResult> rangeLocal(String prefix, int limit) {
        return execute(new KvCommand.Range(prefix, limit), Mode.LOCAL)
                .thenApply(r -> expect(r, KvResult.RangeResult.class, "range", prefix));
    }

    /** Runs {@code command} through the log. */
    public CompletableFuture<KvResult> execute(KvCommand command) {
        return execute(command, Mode.LOG);
    }

    private static <T extends KvResult> T expect(KvResult result, Class<T> type, String op, String key) {
        if (type.isInstance(result)) {
            return type.cast(result);
        }
        if (result instanceof KvResult.Error error) {
            throw new KvException(op + " '" + key + "' failed: " + error.code() + ": " + error.message(), error.code());
        }
        throw new KvException(op + " '" + key + "' got an unexpected result " + result);
    }

    /** Runs {@code command} through the log ({@link Mode#LOG}) or against the node's local state. */
    public CompletableFuture<KvResult> execute(KvCommand command, Mode mode) {
        byte[] encoded = KvCodec.encodeCommand(command);
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new KvException("KvClient '" + config.name() + "' is closed"));
            }
            Pending p = new Pending(nextRequestId++, mode, describe(command), encoded, deadline);
            // Waiting requests go first: a new one queues behind them rather than overtaking them.
            if (mode == Mode.LOG && (!waiting.isEmpty() || !assignSession(p))) {
                if (waiting.size() >= config.maxQueued()) {
                    return CompletableFuture.failedFuture(new KvException(p.what + " refused: " + waiting.size()
                            + " requests already wait for a free session slot (maxQueued); slow down"));
                }
                waiting.add(p);
                return p.future;
            }
            pending.put(p.requestId, p);
            send(p);
            return p.future;
        }
    }

    private static String describe(KvCommand command) {
        if (command instanceof KvCommand.Put put) {
            return "put '" + put.key() + "'";
        } else if (command instanceof KvCommand.Delete delete) {
            return "delete '" + delete.key() + "'";
        } else if (command instanceof KvCommand.DeleteRange range) {
            return "delete-range '" + range.prefix() + "'";
        } else if (command instanceof KvCommand.Cas cas) {
            return "cas '" + cas.key() + "'";
        } else if (command instanceof KvCommand.Txn txn) {
            return "txn of " + (txn.success().size() + txn.failure().size()) + " ops";
        } else if (command instanceof KvCommand.Get get) {
            return "get '" + get.key() + "'";
        } else if (command instanceof KvCommand.Range range) {
            return "range '" + range.prefix() + "'";
        }
        return command.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    // ---- watches ----------------------------------------------------------------------------------------

    /**
     * Watches keys under {@code prefix} from {@code fromRevision} (use {@code revision + 1} of a range you read).
     * Survives reconnects and fail-over: it resumes after the last revision delivered, so every change arrives
     * once, in order. Ends with {@link WatchListener#onCancelled} carrying a {@link CompactedException} when
     * the revision it needs was compacted, or a {@link KvException} when a node refuses it.
     */
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        synchronized (this) {
            WatchState w = new WatchState(this, nextWatchId++, prefix, fromRevision, listener);
            watches.put(w.watchId, w);
            if (connected) {
                sendWatchStart(w);
            }
            return w;
        }
    }

    private synchronized boolean isWatchCancelled(WatchState w) {
        return !watches.containsKey(w.watchId);
    }

    private synchronized void cancelWatch(WatchState w) {
        if (watches.remove(w.watchId) != null && connected) {
            transport.send(KvWire.WATCH_CANCEL, KvWire.encodeWatchCancel(w.watchId));
        }
    }

    private void sendWatchStart(WatchState w) {
        transport.send(KvWire.WATCH_START, KvWire.encode(new KvWire.WatchStart(w.watchId, w.nextRevision, w.prefix)));
    }

    // ---- transport events -------------------------------------------------------------------------------

    private void onFrame(byte type, byte[] payload) {
        try {
            switch (type) {
                case KvWire.RESPONSE -> onResponse(KvWire.decodeResponse(payload));
                case KvWire.WATCH_EVENTS -> onWatchEvents(KvWire.decodeWatchEvents(payload));
                case KvWire.WATCH_ENDED -> onWatchEnded(KvWire.decodeWatchEnded(payload));
                default -> LOG.log(System.Logger.Level.WARNING, "KvClient ''{0}'': ignoring frame of unknown type {1}",
                        config.name(), type);
            }
        } catch (WireException e) {
            LOG.log(System.Logger.Level.WARNING, "KvClient ''{0}'': dropping malformed frame: {1}", config.name(),
                    e.getMessage());
        }
    }

    private void onResponse(KvWire.Response response) {
        Pending p;
        synchronized (this) {
            p = pending.get(response.requestId());
            if (p == null) {
                return; // answered already (a resend's second answer) or timed out
            }
            switch (response.status()) {
                case OK -> {
                    pending.remove(p.requestId);
                    release(p);
                }
                case RETRY -> {
                    p.lastProblem = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
                    p.lastSentNanos = 0; // resend on the next timer tick, same (clientId, seq)
                    return;
                }
                case BAD_REQUEST -> {
                    pending.remove(p.requestId);
                    release(p);
                    p.future.completeExceptionally(new KvException(p.what + " rejected by the node: "
                            + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)));
                    return;
                }
            }
        }
        try {
            p.future.complete(KvCodec.decodeResult(response.body()));
        } catch (RuntimeException e) {
            p.future.completeExceptionally(new KvException(p.what + ": undecodable result: " + e.getMessage()));
        }
    }

    private void onWatchEvents(KvWire.WatchEvents events) {
        WatchState w;
        synchronized (this) {
            w = watches.get(events.watchId());
            if (w == null || events.revision() < w.nextRevision) {
                return; // cancelled, or a revision already delivered before a resume
            }
            w.nextRevision = events.revision() + 1;
        }
        w.listener.onRevision(events.revision(), events.events());
    }

    private void onWatchEnded(KvWire.WatchEnded ended) {
        WatchState w;
        synchronized (this) {
            w = watches.get(ended.watchId());
            if (w == null) {
                return;
            }
            if (ended.reason() == KvWire.WatchEnd.RESUME) {
                if (connected) {
                    sendWatchStart(w);
                }
                return;
            }
            watches.remove(w.watchId);
        }
        RuntimeException cause = ended.reason() == KvWire.WatchEnd.COMPACTED
                ? new CompactedException(w.nextRevision, ended.revision())
                : new KvException("watch of '" + w.prefix + "' refused: " + ended.message());
        w.listener.onCancelled(cause);
    }

    private void onState(ConnectionState state) {
        synchronized (this) {
            if (state instanceof ConnectionState.Connected c) {
                connected = true;
                LOG.log(System.Logger.Level.DEBUG, "KvClient ''{0}'' connected to {1}", config.name(), c.server());
                for (Pending p : pending.values()) {
                    send(p);
                }
                watches.values().forEach(this::sendWatchStart);
            } else if (state instanceof ConnectionState.Disconnected d) {
                connected = false;
                for (Pending p : pending.values()) {
                    p.lastProblem = "connection to " + d.server() + " lost: " + d.reason();
                }
            }
        }
    }

    private void onTimer() {
        List<Pending> expired = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            long resendNanos = config.resendAfter().toNanos();
            for (var it = pending.values().iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (now - p.deadlineNanos >= 0) {
                    it.remove();
                    expired.add(p);
                } else if (connected && (p.lastSentNanos == 0 || now - p.lastSentNanos >= resendNanos)) {
                    send(p);
                }
            }
            // Released only now: a freed session slot admits a waiting request into pending, which the loop
            // above must not see change under it.
            expired.forEach(this::release);
            admitWaiting();
            for (var it = waiting.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (now - p.deadlineNanos >= 0) {
                    it.remove();
                    expired.add(p);
                }
            }
        }
        for (Pending p : expired) {
            p.future.completeExceptionally(new KvException(p.what + " did not complete within "
                    + config.requestTimeout().toMillis() + " ms (" + p.attempts + " attempts; last: " + p.lastProblem
                    + "; servers " + config.servers() + ")"));
        }
    }

    // ---- sessions and sending (callers hold the lock) -----------------------------------------------------

    private boolean assignSession(Pending p) {
        Session best = null;
        for (Session s : sessions) {
            if (s.canTakeAnother() && (best == null || s.inFlight < best.inFlight)) {
                best = s;
            }
        }
        if (best == null) {
            return false;
        }
        best.inFlight++;
        p.session = best;
        p.seq = best.nextSeq++;
        best.outstanding.add(p.seq);
        return true;
    }

    private void release(Pending p) {
        if (p.session == null) {
            return;
        }
        p.session.inFlight--;
        p.session.outstanding.remove(p.seq);
        p.session = null;
        admitWaiting();
    }

    /**
     * Moves waiting requests into sessions while any session can take one. A request leaves {@code waiting}
     * only once it has a session, so none is ever dropped unanswered.
     */
    private void admitWaiting() {
        Pending next = waiting.peek();
        while (next != null && assignSession(next)) {
            waiting.poll();
            pending.put(next.requestId, next);
            send(next);
            next = waiting.peek();
        }
    }

    private void send(Pending p) {
        if (!connected) {
            return;
        }
        long clientId = p.session == null ? 0 : p.session.clientId;
        byte[] frame = KvWire.encode(new KvWire.Request(p.requestId, p.mode, clientId, p.seq, p.command));
        p.lastSentNanos = System.nanoTime();
        p.attempts++;
        if (!transport.send(KvWire.REQUEST, frame)) {
            p.lastProblem = "send queue full or disconnected";
            p.lastSentNanos = System.nanoTime(); // try again after resendAfter
        }
    }

    @Override
    public void close() {
        List<Pending> abandoned;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            abandoned = new ArrayList<>(pending.values());
            abandoned.addAll(waiting);
            pending.clear();
            waiting.clear();
            watches.clear();
        }
        vertx.cancelTimer(timerId);
        transport.close();
        for (Pending p : abandoned) {
            p.future.completeExceptionally(new KvException(p.what + " abandoned: KvClient '" + config.name()
                    + "' closed"));
        }
    }
}
