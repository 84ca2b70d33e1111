package io.aether.core.replica;

import io.aether.core.client.KvWire;
import io.aether.core.client.WireException;
import io.aether.core.consensus.CodecException;
import io.aether.core.consensus.Command;
import io.aether.core.consensus.ConsensusCodec;
import io.aether.core.consensus.DecidedSlot;
import io.aether.core.consensus.EngineConfig;
import io.aether.core.consensus.Input;
import io.aether.core.consensus.LogEntry;
import io.aether.core.consensus.Message;
import io.aether.core.consensus.Outbound;
import io.aether.core.consensus.Output;
import io.aether.core.consensus.RabiaEngine;
import io.aether.core.consensus.Rejected;
import io.aether.core.kv.CapturedSnapshot;
import io.aether.core.kv.KvCodec;
import io.aether.core.kv.KvCodecException;
import io.aether.core.kv.KvStateMachine;
import io.aether.core.net.Connection;
import io.aether.core.net.FrameHandler;
import io.aether.core.net.Role;
import io.aether.core.net.Transport;
import io.aether.core.net.TransportConfig;
import io.aether.core.storage.Snapshot;
import io.aether.core.storage.SnapshotStore;
import io.aether.core.storage.WriteAheadLog;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One core node's replica. A single thread owns the engine, the WAL and the state machine; transport threads
 * only decode frames and hand them over through a bounded inbox. Each turn of the loop drains the inbox into
 * the engine, then keeps the engine's contract for everything gathered: append and fsync once (group commit),
 * send, apply decided slots and answer their clients. So no message leaves before what it promises is durable,
 * and no client is answered before its slot is durable here and on the majority whose votes decided it.
 */
public final class ReplicaNode implements AutoCloseable {

    /** Peer frame: an encoded consensus {@link Message}. */
    static final byte CONSENSUS = 0x01;
    /** Peer frame: send me a window of your state-machine snapshot ({@link SnapshotTransfer.Request}). */
    static final byte SNAPSHOT_REQUEST = 0x02;
    /** Peer frame: one chunk of a snapshot. */
    static final byte SNAPSHOT_CHUNK = 0x03;

    private static final System.Logger LOG = System.getLogger(ReplicaNode.class.getName());
    private static final long TICK_MICROS = 1_000;
    /** Largest encoded result a response carries: the default frame bound less room for the response's header. */
    static final int MAX_RESULT_BYTES = TransportConfig.DEFAULT_MAX_FRAME_BYTES - 1024;
    private static final int DRAIN_PER_TURN = 8_192;
    /**
     * How often an idle replica asks a peer for decided slots it lacks. Catch-up otherwise starts only when
     * traffic shows a replica it is behind; a node restarted into a quiet cluster would stay behind.
     */
    private static final long CATCH_UP_PROBE_MICROS = 500_000;
    /** While a replica is not ready it says why this often, so a stuck node is visible in its log. */
    private static final long NOT_READY_LOG_MICROS = 5_000_000;

    private final ReplicaConfig config;
    private final List<String> voterIds;
    private final int selfIndex;
    private final BlockingQueue<Event> inbox;
    private final WriteAheadLog wal;
    private final SnapshotStore snapshots;
    private final RabiaEngine engine;
    private final ReplicaState state;
    private final Thread thread;
    /** Writes and fsyncs snapshots off the replica thread; one at a time. */
    private final ExecutorService snapshotWriter;
    private Future<SnapshotSaved> snapshotInFlight;
    /** Peers that asked for a snapshot while this replica took a fresh one for them. */
    private final Set<Integer> awaitingSnapshot = new HashSet<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Transport transport;
    private volatile boolean running = true;

    private ReplicaNode(ReplicaConfig config, WriteAheadLog wal, SnapshotStore snapshots, RabiaEngine engine,
                        ReplicaState state) {
        this.config = config;
        this.voterIds = config.sortedVoters();
        this.selfIndex = config.selfIndex();
        this.inbox = new ArrayBlockingQueue<>(config.maxInbox());
        this.wal = wal;
        this.snapshots = snapshots;
        this.engine = engine;
        this.state = state;
        this.thread = new Thread(this::loop, "aether-replica-" + config.nodeId());
        this.snapshotWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "aether-snapshot-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
    }

    /** A snapshot written and forced to disk: the WAL before {@code cut} may go. */
    private record SnapshotSaved(long slot, long cut, long bytes, long captureMillis, long writeMillis) {}

    /**
     * Recovers the replica from its data directory (snapshot + WAL replay), then starts the transport and the
     * replica thread. Throws with a clear message when the WAL is corrupt or the port is taken.
     */
    public static ReplicaNode start(Vertx vertx, ReplicaConfig config) throws IOException {
        SnapshotStore snapshots = SnapshotStore.open(config.dataDir().resolve("snapshots"));
        Optional<Snapshot> snapshot = snapshots.latest();
        Optional<LocalSnapshot> local = snapshot.map(s -> LocalSnapshot.decode(s.data()));
        KvStateMachine kv = local.map(s -> KvStateMachine.restore(s.kv(), config.limits()))
                .orElseGet(() -> new KvStateMachine(config.limits()));
        long snapshotSlot = snapshot.map(Snapshot::lastIncludedIndex).orElse(0L);
        WriteAheadLog wal = WriteAheadLog.open(config.dataDir().resolve("wal"), config.wal());
        Recovery recovery = Recovery.replay(wal, config.selfIndex(), snapshotSlot,
                local.map(LocalSnapshot::lastOwnBatchSeq).orElse(0L), kv);
        EngineConfig engineConfig = config.engineConfig();
        RabiaEngine engine = recovery.entries().isEmpty() && snapshotSlot == 0
                ? new RabiaEngine(engineConfig)
                : RabiaEngine.recover(engineConfig, snapshotSlot, recovery.entries());
        ReplicaState state = new ReplicaState(config, kv, snapshotSlot, recovery.lastAppliedSlot(),
                recovery.lastOwnBatchSeq(), recovery.checkpoints());
        LOG.log(System.Logger.Level.INFO, "replica {0}: recovered snapshot slot {1}, applied through slot {2}, "
                + "revision {3}, {4} WAL entries", config.nodeId(), snapshotSlot, recovery.lastAppliedSlot(),
                kv.revision(), recovery.entries().size());
        ReplicaNode node = new ReplicaNode(config, wal, snapshots, engine, state);
        TransportConfig transportConfig = TransportConfig.defaults(config.nodeId(), config.clusterId(),
                config.listenHost(), config.listenPort(), withoutSelf(config)).withSecret(config.secret());
        try {
            node.transport = Transport.start(vertx, transportConfig, node.new Frames()).toCompletionStage()
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            wal.close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("replica " + config.nodeId() + ": transport failed to start on "
                    + config.listenHost() + ":" + config.listenPort() + ": " + cause.getMessage(), cause);
        }
        node.thread.start();
        return node;
    }

    private static java.util.Map<String, io.aether.core.net.HostAndPort> withoutSelf(ReplicaConfig config) {
        java.util.Map<String, io.aether.core.net.HostAndPort> peers = new java.util.HashMap<>(config.voters());
        peers.remove(config.nodeId());
        return peers;
    }

    /** A snapshot of the replica's health for probes and the status API. */
    public ReplicaStatus status() {
        Transport t = transport;
        int connected = t == null ? 0 : t.connectedPeers().size();
        return state.status(connected);
    }

    /** The port the transport listens on (useful when configured as 0). */
    public int port() {
        return transport.localPort();
    }

    // ---- transport side (Vert.x threads): decode and hand over ---------------------------------------------

    private final class Frames implements FrameHandler {
        @Override
        public boolean acceptsType(byte type) {
            return switch (type) {
                case CONSENSUS, SNAPSHOT_REQUEST, SNAPSHOT_CHUNK, KvWire.REQUEST, KvWire.WATCH_START,
                     KvWire.WATCH_CANCEL -> true;
                default -> false;
            };
        }

        @Override
        public void onFrame(Connection from, byte type, byte[] payload) {
            try {
                if (from.role() == Role.PEER) {
                    onPeerFrame(from, type, payload);
                } else {
                    onClientFrame(from, type, payload);
                }
            } catch (RuntimeException e) {
                // A frame that passed the transport's CRC but not our decoder: a bug or a hostile peer.
                LOG.log(System.Logger.Level.WARNING, "replica {0}: closing {1} ({2}): undecodable frame type {3}: {4}",
                        config.nodeId(), from.remoteNodeId(), from.remoteAddress(), type, e.getMessage());
                from.close();
            }
        }

        @Override
        public void onConnectionClosed(Connection connection) {
            if (connection.role() == Role.CLIENT) {
                offer(new Event.ConnectionClosed(connection));
            }
        }
    }

    private void onPeerFrame(Connection from, byte type, byte[] payload) {
        int index = voterIds.indexOf(from.remoteNodeId());
        if (index < 0 || index == selfIndex) {
            throw new IllegalArgumentException("peer '" + from.remoteNodeId() + "' is not a voter");
        }
        switch (type) {
            case CONSENSUS -> offer(new Event.PeerMessage(index, decodePeerMessage(payload)));
            case SNAPSHOT_REQUEST -> offer(new Event.SnapshotRequest(index, SnapshotTransfer.Request.decode(payload)));
            case SNAPSHOT_CHUNK -> offer(SnapshotTransfer.decodeChunk(index, payload));
            default -> throw new IllegalArgumentException("frame type " + type + " is not a peer frame");
        }
    }

    private static Message decodePeerMessage(byte[] payload) {
        try {
            return ConsensusCodec.decodeMessage(payload);
        } catch (CodecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private void onClientFrame(Connection from, byte type, byte[] payload) {
        switch (type) {
            case KvWire.REQUEST -> {
                KvWire.Request request = KvWire.decodeRequest(payload);
                if (!offer(new Event.ClientRequest(from, request))) {
                    reply(from, request.requestId(), KvWire.Status.RETRY,
                            "node " + config.nodeId() + " is busy (inbox full); retry");
                }
            }
            case KvWire.WATCH_START -> offer(new Event.WatchStart(from, KvWire.decodeWatchStart(payload)));
            case KvWire.WATCH_CANCEL -> offer(new Event.WatchCancel(from, KvWire.decodeWatchCancel(payload)));
            default -> throw new WireException("frame type " + type + " is not a client frame");
        }
    }

    private boolean offer(Event event) {
        boolean accepted = inbox.offer(event);
        if (!accepted) {
            state.countDroppedEvent();
        }
        return accepted;
    }

    /**
     * The response frame carrying {@code encodedResult}; a result too large for one frame (a txn of many large
     * reads) becomes a clear error for that request instead of an exception on the replica thread.
     */
    static byte[] resultFrame(long requestId, byte[] encodedResult) {
        if (encodedResult.length > MAX_RESULT_BYTES) {
            return KvWire.encode(new KvWire.Response(requestId, KvWire.Status.BAD_REQUEST, ("the result is "
                    + encodedResult.length + " bytes, more than the " + MAX_RESULT_BYTES + " one response carries;"
                    + " read fewer keys per request (ranges page with 'after')").getBytes(StandardCharsets.UTF_8)));
        }
        return KvWire.encode(new KvWire.Response(requestId, KvWire.Status.OK, encodedResult));
    }

    static void reply(Connection to, long requestId, KvWire.Status status, String message) {
        to.send(KvWire.RESPONSE, KvWire.encode(new KvWire.Response(requestId, status,
                message.getBytes(StandardCharsets.UTF_8))));
    }

    // ---- the replica thread -------------------------------------------------------------------------------

    private final List<LogEntry> toPersist = new ArrayList<>();
    private final List<Outbound> toSend = new ArrayList<>();
    private final List<DecidedSlot> toApply = new ArrayList<>();
    private final List<Rejected> toReject = new ArrayList<>();
    private long lastTickMicros;
    private long lastProbeMicros;
    private long lastNotReadyLogMicros;
    private long revisionAtLastCheck = -1;
    private long appliedAtLastCheck = Long.MAX_VALUE;
    private int probeTarget;

    private void loop() {
        try {
            while (running) {
                Event first = inbox.poll(TICK_MICROS, TimeUnit.MICROSECONDS);
                if (first != null) {
                    handle(first);
                    for (int i = 0; i < DRAIN_PER_TURN; i++) {
                        Event next = inbox.poll();
                        if (next == null) {
                            break;
                        }
                        handle(next);
                    }
                }
                long now = System.nanoTime() / 1_000;
                if (now - lastTickMicros >= TICK_MICROS) {
                    lastTickMicros = now;
                    collect(engine.step(new Input.Tick(now)));
                }
                if (now - lastNotReadyLogMicros >= NOT_READY_LOG_MICROS) {
                    lastNotReadyLogMicros = now;
                    ReplicaStatus s = status();
                    int pendingCommands = engine.pendingCommandCount();
                    if (pendingCommands > 0 && s.revision() == revisionAtLastCheck && s.appliedSlot() > appliedAtLastCheck) {
                        // Slots are decided but none commits a command: the replicas keep proposing different
                        // batches. Say so with the engine's state; this is what a liveness bug looks like.
                        LOG.log(System.Logger.Level.WARNING, "replica {0}: {1} commands pending but slots {2}..{3} "
                                + "committed none in {4} s; engine: {5}", config.nodeId(), pendingCommands,
                                appliedAtLastCheck + 1, s.appliedSlot(), NOT_READY_LOG_MICROS / 1_000_000, engine);
                    }
                    revisionAtLastCheck = s.revision();
                    appliedAtLastCheck = s.appliedSlot();
                    if (!s.ready()) {
                        LOG.log(System.Logger.Level.INFO, "replica {0} not ready: linked to {1} of {2} peers {3}, "
                                + "applied slot {4}, highest slot seen {5}, {6} commands pending{7}", config.nodeId(),
                                s.connectedPeers(), voterIds.size() - 1, transport.connectedPeers(), s.appliedSlot(),
                                s.highestSeenSlot(), engine.pendingCommandCount(),
                                s.failure().isEmpty() ? "" : "; failed: " + s.failure());
                    }
                }
                if (now - lastProbeMicros >= CATCH_UP_PROBE_MICROS && voterIds.size() > 1) {
                    lastProbeMicros = now;
                    probeTarget = (probeTarget + 1) % voterIds.size();
                    if (probeTarget == selfIndex) {
                        probeTarget = (probeTarget + 1) % voterIds.size();
                    }
                    transport.sendToPeer(voterIds.get(probeTarget), CONSENSUS,
                            ConsensusCodec.encode(new Message.FetchRequest(engine.nextApplySlot())));
                }
                flush();
                finishSnapshot(false);
                askForSnapshot();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // A WAL write or fsync failed: nothing after it may be sent or acknowledged. Stop the replica.
            LOG.log(System.Logger.Level.ERROR, "replica " + config.nodeId() + ": storage failed; replica stopped", e);
            state.fail("storage failed: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "replica " + config.nodeId() + ": replica thread died", e);
            state.fail("replica thread died: " + e);
            throw e;
        } finally {
            stopped.countDown();
        }
    }

    private void handle(Event event) throws IOException, InterruptedException {
        if (event instanceof Event.PeerMessage m) {
            state.notePeerSlot(m.message());
            collect(engine.step(new Input.Receive(m.from(), m.message())));
        } else if (event instanceof Event.ClientRequest r) {
            onClientRequest(r.connection(), r.request());
        } else if (event instanceof Event.WatchStart w) {
            state.watches().start(w.connection(), w.start());
        } else if (event instanceof Event.WatchCancel w) {
            state.watches().cancel(w.connection(), w.watchId());
        } else if (event instanceof Event.ConnectionClosed c) {
            state.waiters().dropConnection(c.connection());
            state.watches().dropConnection(c.connection());
        } else if (event instanceof Event.SnapshotRequest s) {
            serveSnapshot(s.from(), s.request());
        } else if (event instanceof Event.SnapshotChunk c) {
            Optional<SnapshotTransfer.Complete> complete = state.snapshotIn().accept(c, System.nanoTime());
            if (complete.isPresent()) {
                installSnapshot(complete.get());
            } else {
                askForSnapshot();
            }
        } else {
            throw new AssertionError("unhandled replica event " + event);
        }
    }

    private void onClientRequest(Connection connection, KvWire.Request request) {
        if (state.failed()) {
            reply(connection, request.requestId(), KvWire.Status.RETRY, "replica " + config.nodeId()
                    + " has stopped: " + state.failure());
            return;
        }
        switch (request.mode()) {
            case LOCAL -> LocalReads.answer(state.kv(), connection, request);
            case LOG -> {
                if (request.clientId() == 0) {
                    reply(connection, request.requestId(), KvWire.Status.BAD_REQUEST,
                            "a logged request needs a clientId (0 is reserved)");
                    return;
                }
                if (!state.waiters().add(request.clientId(), request.seq(), connection, request.requestId())) {
                    reply(connection, request.requestId(), KvWire.Status.RETRY, "node " + config.nodeId()
                            + " has too many requests in flight; retry");
                    return;
                }
                collect(engine.step(new Input.Submit(new Command(request.clientId(), request.seq(),
                        request.command()))));
            }
        }
    }

    private void collect(Output output) {
        toPersist.addAll(output.persist());
        toSend.addAll(output.send());
        toApply.addAll(output.decided());
        toReject.addAll(output.rejected());
        output.snapshotNeededFrom().ifPresent(peer -> state.snapshotIn().begin(peer, System.nanoTime())
                .ifPresent(request -> {
                    LOG.log(System.Logger.Level.INFO, "replica {0}: behind the retained log; asking {1} for a "
                            + "snapshot", config.nodeId(), voterIds.get(peer));
                    transport.sendToPeer(voterIds.get(peer), SNAPSHOT_REQUEST, request.encode());
                }));
    }

    /** The engine's contract: persist + fsync, then send, then apply and answer. */
    private void flush() throws IOException {
        if (!toPersist.isEmpty()) {
            for (LogEntry entry : toPersist) {
                long index = wal.append(ConsensusCodec.encode(entry));
                state.noteWalEntry(entry, index);
            }
            wal.sync();
            toPersist.clear();
        }
        if (!toSend.isEmpty()) {
            Message last = null;
            byte[] encoded = null;
            for (Outbound out : toSend) {
                if (out.message() != last) { // broadcasts share one Message: encode it once
                    last = out.message();
                    encoded = ConsensusCodec.encode(last);
                }
                transport.sendToPeer(voterIds.get(out.to()), CONSENSUS, encoded);
            }
            toSend.clear();
        }
        if (!toApply.isEmpty()) {
            for (DecidedSlot slot : toApply) {
                state.apply(slot);
            }
            toApply.clear();
            maybeSnapshot(false);
        }
        if (!toReject.isEmpty()) {
            for (Rejected r : toReject) {
                state.waiters().reject(r.command().clientId(), r.command().seq(), r.reason());
            }
            toReject.clear();
        }
    }

    /**
     * Every {@code snapshotEverySlots} applied slots: the state is captured here (consistent with the applied slot;
     * references only) and encoded, written and forced by the snapshot writer, so the replica keeps ordering and
     * applying meanwhile (encoding 48 MB had stalled it 0.6–0.7 s); the WAL is cut only once the snapshot is
     * durable ({@link #finishSnapshot}).
     */
    private void maybeSnapshot(boolean now) {
        long applied = state.lastAppliedSlot();
        if (snapshotInFlight != null || (!now && applied - state.snapshotSlot() < config.snapshotEverySlots())) {
            return;
        }
        long started = System.nanoTime();
        CapturedSnapshot kv = state.kv().snapshotLater();
        long ownSeq = state.lastOwnBatchSeq();
        long captureMillis = (System.nanoTime() - started) / 1_000_000;
        long cut = state.walCutAfterSnapshot(applied, wal.lastIndex() + 1);
        snapshotInFlight = snapshotWriter.submit(() -> {
            long writeStarted = System.nanoTime();
            long bytes = snapshots.save(applied, out -> LocalSnapshot.write(out, ownSeq, kv));
            return new SnapshotSaved(applied, cut, bytes, captureMillis,
                    (System.nanoTime() - writeStarted) / 1_000_000);
        });
    }

    /**
     * A peer behind the retained log asks for a window of a snapshot: served from the newest saved snapshot file if
     * it is recent enough that the peer can fetch the slots after it from this replica's retained log; otherwise a
     * snapshot is taken now, and its first window goes to the peer as soon as it is saved.
     */
    private void serveSnapshot(int peer, SnapshotTransfer.Request request) throws IOException {
        String peerId = voterIds.get(peer);
        if (request.slot() > 0 && SnapshotTransfer.serve(transport, peerId, snapshots, request.slot(),
                request.offset())) {
            return;
        }
        long newest = state.snapshotSlot();
        if (newest == 0 || state.lastAppliedSlot() - newest > config.retainDecidedSlots() / 2) {
            awaitingSnapshot.add(peer);
            maybeSnapshot(true);
            return;
        }
        if (!SnapshotTransfer.serve(transport, peerId, snapshots, newest, 0)) {
            throw new IOException("the snapshot through slot " + newest + " this replica saved is missing from "
                    + config.dataDir().resolve("snapshots"));
        }
    }

    /** Asks the peer that sends this replica a snapshot for its next window, or again after a silence. */
    private void askForSnapshot() {
        state.snapshotIn().next(System.nanoTime()).ifPresent(request -> transport.sendToPeer(
                voterIds.get(state.snapshotIn().peer()), SNAPSHOT_REQUEST, request.encode()));
    }

    /** Cuts the WAL after a snapshot the writer made durable; {@code wait} blocks until it is. */
    private void finishSnapshot(boolean wait) throws IOException, InterruptedException {
        Future<SnapshotSaved> pending = snapshotInFlight;
        if (pending == null || (!wait && !pending.isDone())) {
            return;
        }
        snapshotInFlight = null;
        SnapshotSaved saved;
        try {
            saved = pending.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io
                    : new IOException("snapshot writer failed: " + cause, cause);
        }
        if (saved.cut() > wal.firstIndex()) {
            wal.truncateBefore(saved.cut());
        }
        state.snapshotTaken(saved.slot());
        for (int peer : awaitingSnapshot) {
            SnapshotTransfer.serve(transport, voterIds.get(peer), snapshots, saved.slot(), 0);
        }
        awaitingSnapshot.clear();
        LOG.log(System.Logger.Level.INFO, "replica {0}: snapshot at slot {1}: captured in {2} ms on the replica"
                + " thread, {3} bytes encoded, written and forced in {4} ms beside it; WAL truncated before index {5}",
                config.nodeId(), saved.slot(), saved.captureMillis(), saved.bytes(), saved.writeMillis(), saved.cut());
    }

    /** Decodes a peer's snapshot first: a damaged one is dropped (the engine asks again), never saved. */
    private void installSnapshot(SnapshotTransfer.Complete complete) throws IOException, InterruptedException {
        KvStateMachine restored;
        try {
            restored = KvStateMachine.restore(complete.data(), config.limits());
        } catch (KvCodecException e) {
            LOG.log(System.Logger.Level.WARNING, "replica {0}: the snapshot through slot {1} a peer sent is not"
                    + " intact ({2}); dropped, the replica asks again", config.nodeId(), complete.lastIncludedSlot(),
                    e.getMessage());
            return;
        }
        finishSnapshot(true); // one writer of the snapshot store at a time
        snapshots.save(complete.lastIncludedSlot(),
                out -> LocalSnapshot.write(out, state.lastOwnBatchSeq(), sink -> sink.accept(complete.data())));
        state.install(restored, complete.lastIncludedSlot());
        LOG.log(System.Logger.Level.INFO, "replica {0}: installed a snapshot through slot {1} ({2} bytes)",
                config.nodeId(), complete.lastIncludedSlot(), complete.data().length);
        collect(engine.step(new Input.SnapshotInstalled(complete.lastIncludedSlot())));
    }

    @Override
    public void close() {
        running = false;
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "replica {0}: thread did not stop within 10 s", config.nodeId());
            }
            snapshotWriter.shutdown();
            if (!snapshotWriter.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "replica {0}: snapshot writer did not stop within 10 s",
                        config.nodeId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Transport t = transport;
        if (t != null) {
            t.close();
        }
        try {
            wal.close();
        } catch (IOException e) {
            throw new UncheckedIOException("replica " + config.nodeId() + ": closing the WAL failed", e);
        }
    }
}
