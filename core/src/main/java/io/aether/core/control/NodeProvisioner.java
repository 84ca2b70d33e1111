package io.aether.core.control;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Adds and removes worker nodes (DESIGN §8): local processes in development and the main job
 * ({@code LocalProcessProvisioner} in the node app), the Kubernetes API in production. Node actions of a decision
 * reach it only after the guardrails; the control loop never waits on it for longer than its write timeout.
 */
public interface NodeProvisioner {

    /** Starts one worker; completes with its node id once the process (or pod) is started, not yet registered. */
    CompletableFuture<String> addWorker(String reason);

    /** Drains and stops worker {@code nodeId}; completes when it is gone. Fails when it is not one this made. */
    CompletableFuture<Void> removeWorker(String nodeId, String reason);

    /** The workers this provisioner started and still runs, by node id. */
    List<String> workers();
}
