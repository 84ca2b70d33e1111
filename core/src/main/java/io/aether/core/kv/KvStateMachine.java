package io.aether.core.kv;

import java.util.Objects;
import java.util.Optional;

/**
 * The replicated KV state machine (etcd's data model). Deterministic: replicas that apply the same
 * {@code (clientId, seq, command)} sequence through {@link #apply} with equal {@link KvLimits} reach equal state,
 * equal results and equal {@link #snapshot()} bytes. No I/O, threads or clock.
 *
 * <p>Not thread-safe: the runtime confines it to its apply thread (local reads included, or it synchronizes).
 * Watch listeners run on that thread during {@code apply}; see {@link WatchListener}.
 */
public final class KvStateMachine {

    private final KvLimits limits;
    private final KvStore store;
    private final ClientSessions sessions;
    private final Validation validation;
    private final CommandExecutor executor;
    private final ChangeHistory history;
    private final WatchRegistry watches;
    private boolean notifying;

    /** An empty store at revision 0 with {@link KvLimits#DEFAULTS}. */
    public KvStateMachine() {
        this(KvLimits.DEFAULTS);
    }

    /** An empty store at revision 0. */
    public KvStateMachine(KvLimits limits) {
        this(limits, new KvStore(), new ClientSessions(limits));
    }

    private KvStateMachine(KvLimits limits, KvStore store, ClientSessions sessions) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.store = store;
        this.sessions = sessions;
        this.validation = new Validation(limits);
        this.executor = new CommandExecutor(store, limits);
        this.history = new ChangeHistory(limits.maxHistoryRevisions(), limits.maxHistoryBytes(), store.revision());
        this.watches = new WatchRegistry(limits.maxWatches());
    }

    /**
     * The state a {@link #snapshot()} captured, dedupe table included; watch history starts at its revision.
     *
     * @throws KvCodecException if the bytes are not an intact snapshot
     */
    public static KvStateMachine restore(byte[] snapshot, KvLimits limits) {
        SnapshotCodec.Contents contents = SnapshotCodec.read(snapshot, limits);
        return new KvStateMachine(limits, contents.store(), contents.sessions());
    }

    /**
     * Applies one decided command exactly once per {@code (clientId, seq)}: a retry of an applied seq answers the
     * first result without applying again (pure reads run again). Never throws for any bytes: undecodable or
     * invalid commands apply as a {@link KvResult.Error} that changes nothing. See {@code docs/kv.md} for the
     * dedupe rules ({@code seq} starts at 1 for a new client id; at most {@link KvLimits#dedupeWindow()}
     * outstanding).
     */
    public KvResult apply(long clientId, long seq, byte[] encodedCommand) {
        Objects.requireNonNull(encodedCommand, "encodedCommand");
        ensureNotNotifying("apply");
        if (seq < 1) {
            return new KvResult.Error(KvErrorCode.INVALID_ARGUMENT, "seq " + seq + " of client " + clientId
                    + " must be at least 1; nothing was applied");
        }
        Optional<KvResult> answered = sessions.answered(clientId, seq);
        if (answered.isPresent()) {
            return answered.get();
        }
        KvCommand command;
        try {
            command = KvCodec.decodeCommand(encodedCommand);
            validation.command(command);
        } catch (KvCodecException e) {
            KvResult error = new KvResult.Error(KvErrorCode.MALFORMED_COMMAND, "command of client " + clientId
                    + " seq " + seq + " is malformed: " + e.getMessage());
            sessions.record(clientId, seq, error, false);
            return error;
        } catch (CommandRejected e) {
            KvResult error = e.toResult();
            sessions.record(clientId, seq, error, false);
            return error;
        }
        CommandExecutor.Outcome outcome = executor.execute(command);
        sessions.record(clientId, seq, outcome.result(), isPureRead(command));
        if (!outcome.events().isEmpty()) {
            history.append(store.revision(), outcome.events());
            notifying = true;
            try {
                watches.deliver(store.revision(), outcome.events());
            } finally {
                notifying = false;
            }
        }
        return outcome.result();
    }

    /** Serializable (local) read of one key. @throws IllegalArgumentException for an invalid key */
    public Optional<KeyValue> get(String key) {
        try {
            validation.key(key);
        } catch (CommandRejected e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return store.get(key);
    }

    /** Serializable (local) read of up to {@code limit} keys under {@code prefix} (empty = all), in key order. */
    public KvResult.RangeResult range(String prefix, int limit) {
        return range(prefix, "", limit);
    }

    /**
     * Like {@link #range(String, int)} but only keys after {@code after}, to page on from the last key returned.
     *
     * @throws IllegalArgumentException for an invalid prefix or a limit outside 1..{@link KvLimits#maxRangeLimit()}
     */
    public KvResult.RangeResult range(String prefix, String after, int limit) {
        KvCommand.Range range = new KvCommand.Range(prefix, after, limit);
        try {
            validation.command(range);
        } catch (CommandRejected e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return store.range(prefix, after, limit, store.revision());
    }

    /** The revision of the last applied change (0 for an empty store). */
    public long revision() {
        return store.revision();
    }

    /** The oldest revision a watch can still start from. */
    public long oldestWatchableRevision() {
        return history.firstAvailableRevision();
    }

    /**
     * Delivers every change under {@code prefix} (empty = all keys) at or after {@code fromRevision} (0 = from the
     * next revision): first the retained history, synchronously within this call, then live changes during
     * {@link #apply}, each revision exactly once. If the listener throws while receiving history, the exception
     * reaches the caller and no watch is registered.
     *
     * @throws CompactedException       if {@code fromRevision} is older than {@link #oldestWatchableRevision()}
     * @throws WatchLimitException      if {@link KvLimits#maxWatches()} watches are active
     * @throws IllegalArgumentException for an invalid prefix or a negative revision
     */
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        ensureNotNotifying("watch");
        try {
            validation.prefix(prefix, "watch prefix");
        } catch (CommandRejected e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (fromRevision < 0) {
            throw new IllegalArgumentException("watch from revision " + fromRevision
                    + " is negative; use 0 for 'from the next revision'");
        }
        long from = fromRevision == 0 ? store.revision() + 1 : fromRevision;
        if (from < history.firstAvailableRevision()) {
            throw new CompactedException(from, history.firstAvailableRevision());
        }
        WatchRegistry.Registration registration = watches.create(prefix, from, listener);
        notifying = true;
        try {
            for (ChangeHistory.Change change : history.changes()) {
                registration.offer(change.revision(), change.events());
            }
        } finally {
            notifying = false;
        }
        watches.add(registration);
        return registration;
    }

    /** The whole replicated state (keys, revision, dedupe table) in a deterministic encoding. */
    public byte[] snapshot() {
        ByteWriter whole = new ByteWriter(64 + store.size() * 64);
        snapshotLater().writeTo(whole::writeRaw);
        return whole.toByteArray();
    }

    /**
     * Captures the state now, cheaply, and returns what writes it exactly as {@link #snapshot()} would have; the
     * writer may run on another thread while this store keeps applying commands.
     */
    public CapturedSnapshot snapshotLater() {
        ensureNotNotifying("snapshot");
        return SnapshotCodec.capture(store, sessions);
    }

    public KvLimits limits() {
        return limits;
    }

    /** A command that cannot change anything, whose retry may simply run again. */
    private static boolean isPureRead(KvCommand command) {
        if (command instanceof KvCommand.Get || command instanceof KvCommand.Range) {
            return true;
        }
        if (command instanceof KvCommand.Txn txn) {
            return txn.success().stream().allMatch(KvStateMachine::isReadOp)
                    && txn.failure().stream().allMatch(KvStateMachine::isReadOp);
        }
        return false;
    }

    private static boolean isReadOp(KvCommand.Op op) {
        return op instanceof KvCommand.Get || op instanceof KvCommand.Range;
    }

    private void ensureNotNotifying(String operation) {
        if (notifying) {
            throw new IllegalStateException(operation + " called from a watch listener; listeners must not call "
                    + "back into the state machine: hand the events to another thread");
        }
    }
}
