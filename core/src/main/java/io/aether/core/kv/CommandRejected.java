package io.aether.core.kv;

/** Validation's way out of a command: becomes a {@link KvResult.Error} before anything changed. */
final class CommandRejected extends Exception {

    private final KvErrorCode code;

    CommandRejected(KvErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    KvResult.Error toResult() {
        return new KvResult.Error(code, getMessage());
    }
}
