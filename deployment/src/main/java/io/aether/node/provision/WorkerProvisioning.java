package io.aether.node.provision;

import io.aether.core.control.NodeProvisioner;
import io.aether.node.AetherNode;
import io.aether.node.RuntimeNotReadyException;
import io.aether.node.config.InvalidConfigException;
import io.aether.node.config.NodeSettings;
import io.aether.node.config.ProvisionerConfig;
import io.aether.node.config.RuntimeSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The node's {@link NodeProvisioner}, as {@code aether.provisioner} says: none, or a {@link LocalProcessProvisioner}
 * whose workers join this node's cluster. The configuration is checked at start-up (a bad key stops the node with
 * its name); the provisioner itself is built on first use, once the node knows its peers' real ports. Its workers
 * are stopped when the node shuts down.
 */
@ApplicationScoped
public class WorkerProvisioning {

    private static final Logger LOG = Logger.getLogger(WorkerProvisioning.class);
    private static final int MAX_WORKERS_LIMIT = 64;

    private final AetherNode node;
    private final ProvisionerConfig config;
    private final boolean jsonLogs;
    private LocalProcessProvisioner local;
    private boolean stopped;

    WorkerProvisioning(AetherNode node, ProvisionerConfig config,
                       @ConfigProperty(name = "quarkus.log.console.json.enabled", defaultValue = "true")
                       boolean jsonLogs) {
        this.node = node;
        this.config = config;
        this.jsonLogs = jsonLogs;
    }

    void onStart(@Observes StartupEvent event) {
        if (enabled()) {
            Path jar = runnerJar();
            LOG.infof("local provisioner enabled: up to %d workers from %s", config.local().maxWorkers(), jar);
        }
    }

    /** Before the node closes its runtime and replica (default priority), so workers still reach the KV to leave. */
    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        LocalProcessProvisioner current;
        synchronized (this) {
            stopped = true;
            current = local;
        }
        if (current != null) {
            current.close();
        }
    }

    /** The provisioner, or empty when {@code aether.provisioner} is {@code none}. */
    public Optional<NodeProvisioner> provisioner() {
        return local().map(p -> p);
    }

    /** The local process provisioner, or empty when {@code aether.provisioner} is {@code none}. */
    public synchronized Optional<LocalProcessProvisioner> local() {
        if (!enabled()) {
            return Optional.empty();
        }
        if (local == null) {
            if (!node.started() || stopped) {
                throw new RuntimeNotReadyException(node.started() ? node.settings().nodeId() : "?");
            }
            local = new LocalProcessProvisioner(launch());
        }
        return Optional.of(local);
    }

    private boolean enabled() {
        String kind = config.kind().trim();
        return switch (kind) {
            case "none" -> false;
            case "local" -> {
                check();
                yield true;
            }
            default -> throw new InvalidConfigException("aether.provisioner", "'" + kind
                    + "' is not one of none, local");
        };
    }

    private void check() {
        ProvisionerConfig.Local c = config.local();
        if (c.maxWorkers() < 1 || c.maxWorkers() > MAX_WORKERS_LIMIT) {
            throw new InvalidConfigException("aether.provisioner.local.max-workers", c.maxWorkers()
                    + " is outside 1.." + MAX_WORKERS_LIMIT);
        }
        positive("aether.provisioner.local.start-timeout", c.startTimeout());
        positive("aether.provisioner.local.drain-timeout", c.drainTimeout());
        positive("aether.provisioner.local.stop-timeout", c.stopTimeout());
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidConfigException(key, value + " must be positive");
        }
    }

    /** The configured runner jar, else the one this process runs from. */
    private Path runnerJar() {
        Optional<String> configured = config.local().runnerJar().map(String::trim).filter(s -> !s.isEmpty());
        String key = "aether.provisioner.local.runner-jar";
        if (configured.isPresent()) {
            Path jar = Path.of(configured.get()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new InvalidConfigException(key, "'" + configured.get() + "' is not a file (" + jar + ")");
            }
            return jar;
        }
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.endsWith("quarkus-run.jar") && !classPath.contains(java.io.File.pathSeparator)
                && Files.isRegularFile(Path.of(classPath))) {
            return Path.of(classPath).toAbsolutePath().normalize();
        }
        throw new InvalidConfigException(key, "is not set and this node does not run from a quarkus-run.jar (class"
                + " path '" + (classPath.length() > 200 ? classPath.substring(0, 200) + "..." : classPath)
                + "'); set it to deployment/target/quarkus-app/quarkus-run.jar");
    }

    private WorkerLaunch launch() {
        NodeSettings s = node.settings();
        RuntimeSettings rt = node.runtimeSettings();
        ProvisionerConfig.Local c = config.local();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        Arrays.stream(c.jvmOptions().trim().split("\\s+")).filter(o -> !o.isEmpty()).forEach(command::add);
        command.add("-jar");
        command.add(runnerJar().toString());
        Map<String, String> props = new LinkedHashMap<>();
        props.put("aether.cluster.peers", String.join(",", node.corePeers()));
        props.put("aether.cluster.id", Integer.toString(s.clusterId()));
        props.put("aether.cluster.peer-host", "127.0.0.1");
        props.put("aether.cluster.peer-port", "0");
        props.put("aether.cluster.call-port", "0");
        props.put("aether.cluster.advertise-host", rt.advertiseHost());
        props.put("aether.runtime.heartbeat-interval", rt.heartbeatInterval().toString());
        props.put("aether.runtime.lease", rt.lease().toString());
        props.put("quarkus.log.console.json.enabled", Boolean.toString(jsonLogs)); // logs read like this node's
        props.put("aether.slices.repositories", rt.repositories().stream().map(URI::toString)
                .collect(Collectors.joining(",")));
        Map<String, String> env = s.secret() == null || s.secret().isEmpty() ? Map.of()
                : Map.of("AETHER_CLUSTER_SECRET", s.secret());
        return new WorkerLaunch(command, props, env, s.dataDir().toAbsolutePath().resolve("workers"),
                s.nodeId() + "-worker-", c.maxWorkers(), c.startTimeout(), c.drainTimeout(), c.stopTimeout());
    }
}
