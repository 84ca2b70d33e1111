package io.aether.node.provision;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How {@link LocalProcessProvisioner} starts a worker: the command up to the node's system properties, the
 * properties every worker shares (cluster, repositories, timing), the environment (the cluster secret travels there,
 * not on the command line), where worker data directories go, and the bounds.
 *
 * @param command     {@code java}, JVM options, then {@code -jar quarkus-run.jar} last (properties go before it)
 * @param properties  system properties every worker gets, before its own node id, ports and data directory
 * @param environment variables added to the worker's environment
 * @param dataRoot    a worker's data directory is {@code dataRoot/{id}}
 * @param idPrefix    a worker's node id is {@code idPrefix + n}
 */
public record WorkerLaunch(List<String> command, Map<String, String> properties, Map<String, String> environment,
                           Path dataRoot, String idPrefix, int maxWorkers, Duration startTimeout,
                           Duration drainTimeout, Duration stopTimeout) {

    public WorkerLaunch {
        command = List.copyOf(command);
        properties = Map.copyOf(properties);
        environment = Map.copyOf(environment);
        if (command.size() < 3 || !command.get(command.size() - 2).equals("-jar")) {
            throw new IllegalArgumentException("worker command " + command + " must end with -jar <runner jar>");
        }
        if (maxWorkers < 1) {
            throw new IllegalArgumentException("max workers " + maxWorkers + " is below 1");
        }
    }
}
