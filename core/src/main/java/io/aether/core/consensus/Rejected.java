package io.aether.core.consensus;

import java.util.Objects;

/** A command the engine refused (back-pressure or invalid); the client should retry later or give up. */
public record Rejected(Command command, String reason) {
    public Rejected {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(reason, "reason");
    }
}
