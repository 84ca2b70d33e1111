package io.aether.core.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Runs one validated command against the store: the semantics of every operation live here. */
final class CommandExecutor {

    /** A command's result and the events of the revision it made (empty if it changed nothing). */
    record Outcome(KvResult result, List<WatchEvent> events) {
    }

    private final KvStore store;
    private final KvLimits limits;

    CommandExecutor(KvStore store, KvLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    Outcome execute(KvCommand command) {
        long next = store.revision() + 1;
        KvResult result;
        if (command instanceof KvCommand.Put put) {
            KvResult.Error refused = quotaForPut(put.key(), put.value());
            result = refused != null ? refused : new KvResult.Ok(next, store.put(put.key(), put.value(), next));
        } else if (command instanceof KvCommand.Delete delete) {
            Optional<KeyValue> prev = store.delete(delete.key(), next);
            result = new KvResult.Ok(prev.isPresent() ? next : store.revision(), prev);
        } else if (command instanceof KvCommand.DeleteRange deleteRange) {
            List<String> doomed = store.keysWithPrefix(deleteRange.prefix(), limits.maxRangeLimit());
            for (String key : doomed) {
                store.delete(key, next);
            }
            boolean more = store.hasKeyWithPrefix(deleteRange.prefix());
            result = new KvResult.Deleted(doomed.size(), more, doomed.isEmpty() ? store.revision() : next);
        } else if (command instanceof KvCommand.Cas cas) {
            result = cas(cas, next);
        } else if (command instanceof KvCommand.Txn txn) {
            result = txn(txn, next);
        } else if (command instanceof KvCommand.Get get) {
            result = new KvResult.GetResult(store.get(get.key()), store.revision());
        } else if (command instanceof KvCommand.Range range) {
            result = store.range(range.prefix(), range.after(), range.limit(), store.revision());
        } else if (command instanceof KvCommand.Noop) {
            result = new KvResult.Ok(store.revision(), Optional.empty());
        } else {
            throw new AssertionError("unknown KvCommand " + command.getClass());
        }
        List<WatchEvent> events = store.hasPendingChanges() ? store.commit(next) : List.of();
        return new Outcome(result, events);
    }

    private KvResult cas(KvCommand.Cas cas, long next) {
        Optional<KeyValue> current = store.get(cas.key());
        long currentModRevision = current.map(KeyValue::modRevision).orElse(0L);
        if (currentModRevision != cas.expectedModRevision()) {
            return new KvResult.CasFailed(currentModRevision, store.revision());
        }
        if (cas.value().isPresent()) {
            KvResult.Error refused = quotaForPut(cas.key(), cas.value().get());
            return refused != null ? refused : new KvResult.Ok(next, store.put(cas.key(), cas.value().get(), next));
        }
        Optional<KeyValue> prev = store.delete(cas.key(), next);
        return new KvResult.Ok(prev.isPresent() ? next : store.revision(), prev);
    }

    private KvResult txn(KvCommand.Txn txn, long next) {
        boolean succeeded = true;
        for (KvCommand.Compare compare : txn.compares()) {
            if (!holds(compare)) {
                succeeded = false;
                break;
            }
        }
        List<KvCommand.Op> branch = succeeded ? txn.success() : txn.failure();
        long growth = 0; // a key is written at most once per branch (validated), so the ops' growths add up
        boolean createsKey = false;
        for (KvCommand.Op op : branch) {
            if (op instanceof KvCommand.Put put) {
                long existing = store.bytesOf(put.key());
                growth += KvLimits.entryBytes(put.key(), put.value().length) - existing;
                createsKey |= existing == 0;
            } else if (op instanceof KvCommand.Delete delete) {
                growth -= store.bytesOf(delete.key());
            }
        }
        KvResult.Error refused = quota(growth, createsKey);
        if (refused != null) {
            return refused;
        }
        List<KvResult> results = new ArrayList<>(branch.size());
        for (KvCommand.Op op : branch) {
            // an op observes the txn's revision once an earlier op of the branch has written
            long observed = store.hasPendingChanges() ? next : store.revision();
            if (op instanceof KvCommand.Put put) {
                results.add(new KvResult.Ok(next, store.put(put.key(), put.value(), next)));
            } else if (op instanceof KvCommand.Delete delete) {
                Optional<KeyValue> prev = store.delete(delete.key(), next);
                results.add(new KvResult.Ok(prev.isPresent() ? next : observed, prev));
            } else if (op instanceof KvCommand.Get get) {
                results.add(new KvResult.GetResult(store.get(get.key()), observed));
            } else if (op instanceof KvCommand.Range range) {
                results.add(store.range(range.prefix(), range.after(), range.limit(), observed));
            } else {
                throw new AssertionError("unknown txn op " + op.getClass());
            }
        }
        return new KvResult.TxnResult(succeeded, store.hasPendingChanges() ? next : store.revision(), results);
    }

    /** The quota error for writing {@code value} under {@code key}, or null when it may apply. */
    private KvResult.Error quotaForPut(String key, byte[] value) {
        long existing = store.bytesOf(key);
        return quota(KvLimits.entryBytes(key, value.length) - existing, existing == 0);
    }

    /**
     * The quota error for a write growing the store by {@code growth}, or null when it may apply. New keys stop at
     * the quota; rewrites of existing keys may go on to the quota plus a sixteenth, so that the cluster's own
     * heartbeats and state updates (whose values can grow by a few bytes) keep working while new keys are refused.
     */
    private KvResult.Error quota(long growth, boolean createsKey) {
        long quota = limits.maxDataBytes();
        long bound = createsKey ? quota : quota + quota / 16;
        if (growth <= 0 || store.dataBytes() + growth <= bound) {
            return null;
        }
        return new KvResult.Error(KvErrorCode.QUOTA_EXCEEDED, "the KV holds " + store.dataBytes() + " bytes of its "
                + quota + "-byte quota and this write adds " + growth + (createsKey ? "" : " beyond the sixteenth"
                + " that rewrites of existing keys may exceed it by") + "; delete keys, or raise"
                + " aether.kv.max-data-bytes on every node (and the heap with it)");
    }

    private boolean holds(KvCommand.Compare compare) {
        Optional<KeyValue> kv = store.get(compare.key());
        if (compare.target() == KvCommand.Compare.Target.VALUE && kv.isEmpty()) {
            return false;
        }
        int order = switch (compare.target()) {
            case VALUE -> Arrays.compareUnsigned(kv.get().sharedValue(), compare.value());
            case VERSION -> Long.compare(kv.map(KeyValue::version).orElse(0L), compare.number());
            case CREATE_REVISION -> Long.compare(kv.map(KeyValue::createRevision).orElse(0L), compare.number());
            case MOD_REVISION -> Long.compare(kv.map(KeyValue::modRevision).orElse(0L), compare.number());
        };
        return switch (compare.operator()) {
            case EQUAL -> order == 0;
            case NOT_EQUAL -> order != 0;
            case LESS -> order < 0;
            case GREATER -> order > 0;
        };
    }
}
