/**
 * Blueprints become running instances (docs/deployment.md): the blueprint model, its JSON and rules
 * ({@link io.aether.core.deployment.BlueprintCodec}, {@link io.aether.core.deployment.BlueprintConflicts}), the
 * route table the HTTP router reads, the leader's {@link io.aether.core.deployment.ClusterDeploymentManager} (a pure
 * {@link io.aether.core.deployment.Reconciler} plus an executor of its cas writes) and every node's
 * {@link io.aether.core.deployment.NodeDeploymentManager}.
 */
package io.aether.core.deployment;
