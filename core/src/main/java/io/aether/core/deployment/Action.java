package io.aether.core.deployment;

/** A KV write the leader's plan asks for; each is a cas on the mod revision the plan saw (0: must not exist). */
public sealed interface Action {

    String key();

    long expectedModRevision();

    /** Why, for the log. */
    String why();

    /** Writes a {@code slices/} command. */
    record Put(String key, long expectedModRevision, SliceAssignment value, String why) implements Action {
    }

    /** Deletes a {@code slices/} or {@code endpoints/} key. */
    record Delete(String key, long expectedModRevision, String why) implements Action {
    }
}
