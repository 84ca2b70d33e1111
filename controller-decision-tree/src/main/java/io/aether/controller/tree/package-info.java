/** Layer 1 of the controller chain: the deterministic decision tree the cluster must be able to run on alone. */
package io.aether.controller.tree;
