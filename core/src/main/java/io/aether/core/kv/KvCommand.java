package io.aether.core.kv;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A command that consensus orders and every replica applies through {@link KvStateMachine#apply}. Reads are
 * commands too: a {@link Get} or {@link Range} through the log is linearizable. Encode with {@link KvCodec}.
 * Arrays passed in are owned by the command from then on; do not change them.
 */
public sealed interface KvCommand
        permits KvCommand.Put, KvCommand.Delete, KvCommand.DeleteRange, KvCommand.Cas, KvCommand.Txn,
                KvCommand.Get, KvCommand.Range, KvCommand.Noop {

    /** What a txn branch may do. */
    sealed interface Op permits Put, Delete, Get, Range {
    }

    /** Sets {@code key} to {@code value}; always a new revision. */
    record Put(String key, byte[] value) implements KvCommand, Op {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put other && key.equals(other.key) && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return 31 * key.hashCode() + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Put[key=" + key + ", value=" + value.length + " bytes]";
        }
    }

    /** Removes {@code key}; a new revision only if the key existed. */
    record Delete(String key) implements KvCommand, Op {
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Removes up to {@link KvLimits#maxRangeLimit()} keys starting with the non-empty {@code prefix}, in key order,
     * as one revision; {@link KvResult.Deleted#more()} says whether to repeat.
     */
    record DeleteRange(String prefix) implements KvCommand {
        public DeleteRange {
            Objects.requireNonNull(prefix, "prefix");
        }
    }

    /**
     * Compare-and-set on the key's modRevision: writes {@code value} (or deletes the key when empty) only if the
     * key's modRevision equals {@code expectedModRevision}; 0 means the key must not exist.
     */
    record Cas(String key, long expectedModRevision, Optional<byte[]> value) implements KvCommand {
        public Cas {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cas other && key.equals(other.key)
                    && expectedModRevision == other.expectedModRevision
                    && value.isPresent() == other.value.isPresent()
                    && (value.isEmpty() || Arrays.equals(value.get(), other.value.get()));
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, expectedModRevision, value.map(Arrays::hashCode).orElse(-1));
        }

        @Override
        public String toString() {
            return "Cas[key=" + key + ", expectedModRevision=" + expectedModRevision + ", value="
                    + value.map(v -> v.length + " bytes").orElse("delete") + "]";
        }
    }

    /**
     * If every compare holds, runs {@code success}, else {@code failure}; all of it as one revision (or none if
     * nothing changed). Ops run in order and later reads see earlier writes of the same branch.
     */
    record Txn(List<Compare> compares, List<Op> success, List<Op> failure) implements KvCommand {
        public Txn {
            compares = List.copyOf(compares);
            success = List.copyOf(success);
            failure = List.copyOf(failure);
        }
    }

    /** Reads one key through the log (linearizable). */
    record Get(String key) implements KvCommand, Op {
        public Get {
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Reads up to {@code limit} keys starting with {@code prefix} (empty = all keys) whose key sorts after
     * {@code after} (empty = from the first), in key order; page on with the last key returned.
     */
    record Range(String prefix, String after, int limit) implements KvCommand, Op {
        public Range {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(after, "after");
        }

        public Range(String prefix, int limit) {
            this(prefix, "", limit);
        }
    }

    /** Changes nothing; answers the current revision. */
    record Noop() implements KvCommand {
    }

    /**
     * One condition of a {@link Txn}. A missing key has version, createRevision and modRevision 0, and every
     * value compare on it is false. Values compare as unsigned bytes, lexicographically.
     */
    record Compare(String key, Target target, Operator operator, long number, byte[] value) {

        /** What of the key is compared. */
        public enum Target { VERSION, CREATE_REVISION, MOD_REVISION, VALUE }

        /** How: {@code actual <operator> expected}. */
        public enum Operator { EQUAL, NOT_EQUAL, LESS, GREATER }

        public Compare {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(value, "value");
            boolean valueCompare = target == Target.VALUE;
            if (valueCompare ? number != 0 : value.length > 0) {
                throw new IllegalArgumentException("compare on '" + key + "': a " + target + " compare carries "
                        + (valueCompare ? "only a value, not the number " + number : "only a number, not a value"));
            }
        }

        public static Compare version(String key, Operator operator, long version) {
            return new Compare(key, Target.VERSION, operator, version, new byte[0]);
        }

        public static Compare createRevision(String key, Operator operator, long revision) {
            return new Compare(key, Target.CREATE_REVISION, operator, revision, new byte[0]);
        }

        public static Compare modRevision(String key, Operator operator, long revision) {
            return new Compare(key, Target.MOD_REVISION, operator, revision, new byte[0]);
        }

        public static Compare value(String key, Operator operator, byte[] value) {
            return new Compare(key, Target.VALUE, operator, 0, value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Compare other && key.equals(other.key) && target == other.target
                    && operator == other.operator && number == other.number && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, target, operator, number, Arrays.hashCode(value));
        }

        @Override
        public String toString() {
            return "Compare[" + key + " " + target + " " + operator + " "
                    + (target == Target.VALUE ? value.length + " bytes" : Long.toString(number)) + "]";
        }
    }
}
