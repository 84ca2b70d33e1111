package io.aether.core.kv;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks a command against the key rules and {@link KvLimits} before anything is applied. */
final class Validation {

    private static final int SHOWN_KEY_CHARS = 32;

    private final KvLimits limits;

    Validation(KvLimits limits) {
        this.limits = limits;
    }

    void command(KvCommand command) throws CommandRejected {
        if (command instanceof KvCommand.Put put) {
            key(put.key());
            value(put.key(), put.value());
        } else if (command instanceof KvCommand.Delete delete) {
            key(delete.key());
        } else if (command instanceof KvCommand.DeleteRange deleteRange) {
            if (deleteRange.prefix().isEmpty()) {
                throw new CommandRejected(KvErrorCode.INVALID_KEY,
                        "delete-range prefix must not be empty; deleting the whole keyspace is not supported");
            }
            prefix(deleteRange.prefix(), "delete-range prefix");
        } else if (command instanceof KvCommand.Cas cas) {
            key(cas.key());
            if (cas.expectedModRevision() < 0) {
                throw new CommandRejected(KvErrorCode.INVALID_ARGUMENT, "cas on key '" + shown(cas.key())
                        + "': expected mod revision " + cas.expectedModRevision()
                        + " is negative; use 0 for 'must not exist'");
            }
            if (cas.value().isPresent()) {
                value(cas.key(), cas.value().get());
            }
        } else if (command instanceof KvCommand.Txn txn) {
            txn(txn);
        } else if (command instanceof KvCommand.Get get) {
            key(get.key());
        } else if (command instanceof KvCommand.Range range) {
            range(range);
        } else if (!(command instanceof KvCommand.Noop)) {
            throw new AssertionError("unknown KvCommand " + command.getClass());
        }
    }

    /** A key of a stored entry: non-empty, no NUL, valid UTF-8, within the byte limit. */
    void key(String key) throws CommandRejected {
        if (key.isEmpty()) {
            throw new CommandRejected(KvErrorCode.INVALID_KEY, "key must not be empty");
        }
        prefix(key, "key");
    }

    /** A prefix may be empty (all keys); otherwise the key rules hold. */
    void prefix(String prefix, String what) throws CommandRejected {
        int surrogate = Utf8.unpairedSurrogateIndex(prefix);
        if (surrogate >= 0) {
            throw new CommandRejected(KvErrorCode.INVALID_KEY, what + " '" + shown(prefix)
                    + "' is not valid UTF-8: unpaired surrogate at char " + surrogate);
        }
        int nul = prefix.indexOf('\0');
        if (nul >= 0) {
            throw new CommandRejected(KvErrorCode.INVALID_KEY, what + " '" + shown(prefix) + "' contains NUL at char "
                    + nul + "; keys are UTF-8 paths without NUL");
        }
        int bytes = Utf8.length(prefix);
        if (bytes > limits.maxKeyBytes()) {
            throw new CommandRejected(KvErrorCode.LIMIT_EXCEEDED, what + " '" + shown(prefix) + "' is " + bytes
                    + " bytes; the limit is " + limits.maxKeyBytes());
        }
    }

    private void value(String key, byte[] value) throws CommandRejected {
        if (value.length > limits.maxValueBytes()) {
            throw new CommandRejected(KvErrorCode.LIMIT_EXCEEDED, "value of key '" + shown(key) + "' is "
                    + value.length + " bytes; the limit is " + limits.maxValueBytes());
        }
    }

    private void range(KvCommand.Range range) throws CommandRejected {
        prefix(range.prefix(), "range prefix");
        prefix(range.after(), "range start key");
        if (range.limit() < 1) {
            throw new CommandRejected(KvErrorCode.INVALID_ARGUMENT, "range limit " + range.limit()
                    + " must be at least 1");
        }
        if (range.limit() > limits.maxRangeLimit()) {
            throw new CommandRejected(KvErrorCode.LIMIT_EXCEEDED, "range limit " + range.limit()
                    + " is above the limit " + limits.maxRangeLimit() + "; page with a start key instead");
        }
    }

    private void txn(KvCommand.Txn txn) throws CommandRejected {
        count("txn compares", txn.compares().size());
        count("txn success branch ops", txn.success().size());
        count("txn failure branch ops", txn.failure().size());
        for (KvCommand.Compare compare : txn.compares()) {
            key(compare.key());
        }
        branch("success", txn.success());
        branch("failure", txn.failure());
    }

    private void count(String what, int count) throws CommandRejected {
        if (count > limits.maxTxnOps()) {
            throw new CommandRejected(KvErrorCode.LIMIT_EXCEEDED, what + ": " + count + "; the limit is "
                    + limits.maxTxnOps());
        }
    }

    private void branch(String name, List<KvCommand.Op> ops) throws CommandRejected {
        Set<String> written = new HashSet<>();
        for (KvCommand.Op op : ops) {
            command((KvCommand) op);
            String key = op instanceof KvCommand.Put put ? put.key()
                    : op instanceof KvCommand.Delete delete ? delete.key() : null;
            if (key != null && !written.add(key)) {
                throw new CommandRejected(KvErrorCode.INVALID_ARGUMENT, "txn " + name + " branch writes key '"
                        + shown(key) + "' more than once; write each key at most once per txn");
            }
        }
    }

    /** A key for an error message: abbreviated, with NUL made visible. */
    static String shown(String key) {
        return Utf8.printable(Utf8.abbreviate(key, SHOWN_KEY_CHARS));
    }
}
