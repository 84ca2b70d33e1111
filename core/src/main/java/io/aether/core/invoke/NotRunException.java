package io.aether.core.invoke;

import io.aether.slice.api.SliceException;

/**
 * A call that certainly did not run on the callee: it was never sent (no connection, full queue, bound reached),
 * or the callee answered with the "not run" flag. Only this failure lets the invoker try another instance.
 */
final class NotRunException extends SliceException {

    private static final long serialVersionUID = 1L;

    NotRunException(int status, String message) {
        super(status, message);
    }
}
