package io.aether.node;

import io.aether.node.config.AetherConfig;
import io.aether.node.config.NodeSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The running node: validated settings and start-up facts. The Quarkus application only wires; the
 * cluster machinery lives in {@code core}.
 */
@ApplicationScoped
public class AetherNode {

    private static final Logger LOG = Logger.getLogger(AetherNode.class);

    private final AetherConfig config;
    private final String version;
    private volatile NodeSettings settings;
    private volatile Instant startedAt;

    AetherNode(AetherConfig config, @ConfigProperty(name = "quarkus.application.version") String version) {
        this.config = config;
        this.version = version;
    }

    void onStart(@Observes StartupEvent event) {
        NodeSettings validated = NodeSettings.from(config);
        validated.checkPeerPortFree();
        settings = validated;
        startedAt = Instant.now();
        LOG.infof("aether node '%s' started as %s; peers %s; data in %s", validated.nodeId(),
                validated.role().name().toLowerCase(), validated.peers(), validated.dataDir());
    }

    /** The validated settings; present once the node has started. */
    public NodeSettings settings() {
        NodeSettings current = settings;
        if (current == null) {
            throw new IllegalStateException("node settings read before start-up validation ran");
        }
        return current;
    }

    public boolean started() {
        return settings != null;
    }

    public String version() {
        return version;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Duration uptime() {
        return Duration.between(startedAt, Instant.now());
    }
}
