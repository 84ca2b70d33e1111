package io.aether.core.kv;

/** Why a command was refused; every refusal changes nothing. See {@code docs/kv.md} for what a client should do. */
public enum KvErrorCode {
    /** A key or prefix is empty (where not allowed), contains NUL or an unpaired surrogate. */
    INVALID_KEY,
    /** A key, value, txn or range exceeds its {@link KvLimits} bound. */
    LIMIT_EXCEEDED,
    /** A well-formed command asks for something meaningless, e.g. a range limit of 0 or a key written twice in a txn. */
    INVALID_ARGUMENT,
    /** The command bytes could not be decoded. */
    MALFORMED_COMMAND,
    /** The client is not tracked (never seen, or evicted) and its seq is past the first dedupe window. */
    SESSION_UNKNOWN,
    /** The seq is older than the client's dedupe window, so whether it was applied is no longer known. */
    SEQ_TOO_OLD,
    /** The command was applied, but its result was dropped to keep the dedupe table within its memory bound. */
    RESULT_DROPPED,
    /** The write would grow the store beyond {@link KvLimits#maxDataBytes()}; nothing was applied. */
    QUOTA_EXCEEDED
}
