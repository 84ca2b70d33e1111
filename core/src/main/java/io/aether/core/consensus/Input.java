package io.aether.core.consensus;

import java.util.Objects;

/** What the adapter feeds into {@link RabiaEngine#step(Input)}. */
public sealed interface Input {
    /** The closed set of input kinds, for exhaustive {@code switch}. */
    enum Kind { SUBMIT, RECEIVE, TICK, SNAPSHOT_INSTALLED }

    Kind kind();

    /** A client command submitted to this replica. */
    record Submit(Command command) implements Input {
        @Override
        public Kind kind() {
            return Kind.SUBMIT;
        }

        public Submit {
            Objects.requireNonNull(command, "command");
        }
    }

    /** A message received from peer {@code from}. */
    record Receive(int from, Message message) implements Input {
        @Override
        public Kind kind() {
            return Kind.RECEIVE;
        }

        public Receive {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The passage of time: a monotonic clock reading in microseconds. */
    record Tick(long nowMicros) implements Input {
        @Override
        public Kind kind() {
            return Kind.TICK;
        }
    }

    /** The adapter installed a state-machine snapshot covering every slot up to {@code lastIncludedSlot}. */
    record SnapshotInstalled(long lastIncludedSlot) implements Input {
        @Override
        public Kind kind() {
            return Kind.SNAPSHOT_INSTALLED;
        }
    }
}
