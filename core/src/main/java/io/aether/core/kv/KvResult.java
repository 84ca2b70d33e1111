package io.aether.core.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What applying one {@link KvCommand} produced. Every result names a {@code revision}: the store revision after the
 * command (for an op inside a txn: the revision that op observed or produced).
 */
public sealed interface KvResult
        permits KvResult.Ok, KvResult.CasFailed, KvResult.TxnResult, KvResult.GetResult, KvResult.RangeResult,
                KvResult.Deleted, KvResult.Error {

    /** A put, delete, successful cas or noop; {@code prevKv} is the key before the command, empty if it was absent. */
    record Ok(long revision, Optional<KeyValue> prevKv) implements KvResult {
        public Ok {
            Objects.requireNonNull(prevKv, "prevKv");
        }
    }

    /** A cas whose expected modRevision did not match; {@code currentModRevision} is 0 if the key is absent. */
    record CasFailed(long currentModRevision, long revision) implements KvResult {
    }

    /** A txn: which branch ran and one result per op of that branch, in order. */
    record TxnResult(boolean succeeded, long revision, List<KvResult> results) implements KvResult {
        public TxnResult {
            results = List.copyOf(results);
        }
    }

    /** A get: the key if present. */
    record GetResult(Optional<KeyValue> kv, long revision) implements KvResult {
        public GetResult {
            Objects.requireNonNull(kv, "kv");
        }
    }

    /** A range: keys in key order; {@code more} says further keys match beyond the limit. */
    record RangeResult(List<KeyValue> kvs, boolean more, long revision) implements KvResult {
        public RangeResult {
            kvs = List.copyOf(kvs);
        }
    }

    /** A delete-range: how many keys it removed; {@code more} says matching keys remain (repeat the command). */
    record Deleted(long count, boolean more, long revision) implements KvResult {
    }

    /** A refused command; nothing changed. */
    record Error(KvErrorCode code, String message) implements KvResult {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
