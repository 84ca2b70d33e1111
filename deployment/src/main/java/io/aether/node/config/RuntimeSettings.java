package io.aether.node.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Validated settings of the cluster runtime (membership, slices, router). Like {@link NodeSettings}, every
 * check names the key it rejects.
 *
 * @param repositories Maven repository URLs, relative {@code file:} paths made absolute
 * @param refusingRetryAfter the {@code Retry-After} of a call shed by admission control, in whole seconds
 */
public record RuntimeSettings(int callPort, String advertiseHost, Duration heartbeatInterval, Duration lease,
                             Duration reconcileInterval, Allocation allocation, List<URI> repositories,
                             Path sliceCacheDir, Duration loadTimeout, Duration activateTimeout,
                             Duration deactivateTimeout, Duration unloadTimeout, Duration callTimeout,
                             int maxBodyBytes, Duration refusingRetryAfter) {

    /** How the leader places instances on nodes. */
    public enum Allocation { ROUND_ROBIN, LEAST_LOADED }

    /** Validates the runtime part of {@code config} for the node {@code node} describes. */
    public static RuntimeSettings from(AetherConfig config, NodeSettings node) {
        AetherConfig.Cluster cluster = config.cluster();
        int callPort = cluster.callPort();
        if (callPort < 0 || callPort > 65535) {
            throw new InvalidConfigException("aether.cluster.call-port",
                    "port " + callPort + " is outside 0..65535 (0 picks a free port)");
        }
        if (callPort != 0 && callPort == node.peerPort()) {
            throw new InvalidConfigException("aether.cluster.call-port",
                    "port " + callPort + " is also the peer port; calls and consensus need separate ports");
        }
        String advertise = cluster.advertiseHost().map(String::trim).filter(h -> !h.isEmpty())
                .orElseGet(() -> defaultAdvertiseHost(node));
        AetherConfig.Runtime rt = config.runtime();
        Duration heartbeat = positive("aether.runtime.heartbeat-interval", rt.heartbeatInterval());
        Duration lease = positive("aether.runtime.lease", rt.lease());
        if (lease.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new InvalidConfigException("aether.runtime.lease", "lease " + lease.toMillis()
                    + " ms is shorter than two heartbeat intervals (" + heartbeat.multipliedBy(2).toMillis()
                    + " ms): one late heartbeat would fail a healthy node");
        }
        Duration reconcile = positive("aether.runtime.reconcile-interval", rt.reconcileInterval());
        Allocation allocation = switch (rt.allocation().trim().toLowerCase(Locale.ROOT)) {
            case "round-robin" -> Allocation.ROUND_ROBIN;
            case "least-loaded" -> Allocation.LEAST_LOADED;
            default -> throw new InvalidConfigException("aether.runtime.allocation",
                    "unknown strategy '" + rt.allocation() + "'; expected round-robin or least-loaded");
        };
        AetherConfig.Slices slices = config.slices();
        List<URI> repositories = repositories(slices.repositories());
        Path cache = slices.cacheDir().map(p -> Path.of(p).toAbsolutePath().normalize())
                .orElse(node.dataDir().resolve("slice-cache"));
        int maxBody = config.router().maxBodyBytes();
        if (maxBody < 1024 || maxBody > 64 * 1024 * 1024) {
            throw new InvalidConfigException("aether.router.max-body-bytes",
                    maxBody + " is outside 1024..67108864");
        }
        return new RuntimeSettings(callPort, advertise, heartbeat, lease, reconcile, allocation, repositories, cache,
                positive("aether.slices.load-timeout", slices.loadTimeout()),
                positive("aether.slices.activate-timeout", slices.activateTimeout()),
                positive("aether.slices.deactivate-timeout", slices.deactivateTimeout()),
                positive("aether.slices.unload-timeout", slices.unloadTimeout()),
                positive("aether.router.call-timeout", config.router().callTimeout()), maxBody,
                retryAfter(config.router().refusingRetryAfter()));
    }

    private static Duration retryAfter(Duration value) {
        String key = "aether.router.refusing-retry-after";
        if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidConfigException(key, value + " is outside 1s..1h");
        }
        if (value.toNanosPart() != 0) {
            throw new InvalidConfigException(key, value + " is not a whole number of seconds (Retry-After counts seconds)");
        }
        return value;
    }

    private static String defaultAdvertiseHost(NodeSettings node) {
        return node.peers().stream().filter(p -> p.id().equals(node.nodeId())).map(Peer::host).findFirst()
                .orElse(node.peerHost().equals("0.0.0.0") ? "127.0.0.1" : node.peerHost());
    }

    private static Duration positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new InvalidConfigException(key, value + " must be positive");
        }
        return value;
    }

    private static List<URI> repositories(List<String> values) {
        String key = "aether.slices.repositories";
        List<URI> uris = new ArrayList<>();
        for (String raw : values) {
            String value = raw.trim();
            if (value.isEmpty()) {
                continue;
            }
            if (value.startsWith("file:")) {
                Path dir = Path.of(value.substring("file:".length()).replaceFirst("^//", "")).toAbsolutePath()
                        .normalize();
                if (!Files.isDirectory(dir)) {
                    throw new InvalidConfigException(key, "'" + value + "' is not a directory (" + dir
                            + "); build the example slices with ./mvnw package or point this at your repository");
                }
                uris.add(dir.toUri());
                continue;
            }
            try {
                URI uri = new URI(value);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new InvalidConfigException(key, "'" + value + "' is neither file:, http: nor https:");
                }
                uris.add(uri);
            } catch (URISyntaxException e) {
                throw new InvalidConfigException(key, "'" + value + "' is not a URL: " + e.getReason());
            }
        }
        if (uris.isEmpty()) {
            throw new InvalidConfigException(key, "lists no repository; slices could not be resolved");
        }
        return List.copyOf(uris);
    }
}
