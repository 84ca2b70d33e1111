package io.aether.core.slice;

/** A lifecycle step that failed or timed out; the message is the reason shown to operators. */
public final class SliceFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final SliceState failedIn;

    public SliceFailure(SliceState failedIn, String reason, Throwable cause) {
        super(reason, cause);
        this.failedIn = failedIn;
    }

    /** The -ING state the step was in when it failed. */
    public SliceState failedIn() {
        return failedIn;
    }
}
