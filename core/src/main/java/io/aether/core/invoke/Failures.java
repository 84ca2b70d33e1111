package io.aether.core.invoke;

import io.aether.slice.api.SliceException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns whatever a call failed with into the {@link SliceException} the caller sees. */
final class Failures {

    private Failures() {}

    /** The slice's own status when it gave one, else 500 naming {@code where} and the cause. */
    static SliceException toSliceException(Throwable failure, String where) {
        Throwable cause = unwrap(failure);
        if (cause instanceof SliceException e) {
            return e;
        }
        return new SliceException(500, where + " failed: " + cause, cause);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
