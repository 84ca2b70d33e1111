package io.aether.core.client;

import io.aether.core.kv.KvErrorCode;
import java.util.Optional;

/**
 * A KV request that did not succeed: its deadline passed, the client is overloaded or closed, or the state
 * machine refused it ({@link #code()} then says why). The message says which request, why, and what was tried.
 */
public class KvException extends RuntimeException {

    private final KvErrorCode code;

    public KvException(String message) {
        this(message, null);
    }

    public KvException(String message, KvErrorCode code) {
        super(message);
        this.code = code;
    }

    /** The state machine's reason when it refused the command; empty when the cluster did not answer. */
    public Optional<KvErrorCode> code() {
        return Optional.ofNullable(code);
    }
}
