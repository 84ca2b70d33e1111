package io.aether.core.slice;

/**
 * The lifecycle of a slice on a node (DESIGN §5). Commands (written by the leader) are LOAD, ACTIVATE,
 * DEACTIVATE, UNLOAD; the node answers with the -ING state while it works and the resting state after.
 * Any -ING step can end in FAILED with a reason.
 */
public enum SliceState {
    LOAD, LOADING, LOADED, ACTIVATE, ACTIVATING, ACTIVE, DEACTIVATE, DEACTIVATING, UNLOAD, UNLOADING, FAILED;

    /** A command the leader writes, as opposed to progress the node writes. */
    public boolean isCommand() {
        return this == LOAD || this == ACTIVATE || this == DEACTIVATE || this == UNLOAD;
    }
}
