package io.aether.node.provision;

/** Why a worker could not be added or removed; the API maps {@link Kind} to a status. */
public final class ProvisionerException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** {@code aether.provisioner} is {@code none}. */
        NOT_CONFIGURED,
        /** {@code aether.provisioner.local.max-workers} workers run already. */
        LIMIT_REACHED,
        /** The node id names no worker this provisioner runs. */
        UNKNOWN_WORKER,
        /** The worker is being removed already, or the provisioner is closing. */
        BUSY,
        /** Starting, draining or stopping the process failed. */
        FAILED
    }

    private final Kind kind;

    public ProvisionerException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ProvisionerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
