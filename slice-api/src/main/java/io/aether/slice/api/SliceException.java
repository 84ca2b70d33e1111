package io.aether.slice.api;

/**
 * An error a slice answers with, or that a call to another slice fails with. {@code status} follows HTTP:
 * 4xx says the request was wrong, 5xx that the slice or the cluster failed; the router answers with it.
 */
public class SliceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public SliceException(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status " + status + " is not an HTTP error status (400..599)");
        }
        this.status = status;
    }

    public SliceException(int status, String message, Throwable cause) {
        this(status, message);
        initCause(cause);
    }

    /** The HTTP status the router answers with. */
    public int status() {
        return status;
    }
}
