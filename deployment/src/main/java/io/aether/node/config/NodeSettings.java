package io.aether.node.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validated node configuration. Every check names the key it rejects so an operator can fix the
 * value from the one log line the node prints before it stops.
 */
public record NodeSettings(String nodeId, NodeRole role, List<Peer> peers, String peerHost, int peerPort,
                           Path dataDir, int clusterId, String secret, long kvMaxDataBytes) {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** Validates {@code config}; throws {@link InvalidConfigException} naming the first bad key. */
    public static NodeSettings from(AetherConfig config) {
        String nodeId = config.node().id().trim();
        checkNodeId("aether.node.id", nodeId);
        NodeRole role = parseRole(config.node().role());
        int peerPort = config.cluster().peerPort();
        if (peerPort < 0 || peerPort > 65535) {
            throw new InvalidConfigException("aether.cluster.peer-port",
                    "port " + peerPort + " is outside 0..65535 (0 picks a free port)");
        }
        String peerHost = config.cluster().peerHost();
        List<Peer> peers = parsePeers(config.cluster().peers().orElse(List.of()));
        if (role == NodeRole.CORE && peers.isEmpty()) {
            // No voter set given: a single-node cluster of this node (dev mode, tests).
            String host = peerHost.equals("0.0.0.0") ? "127.0.0.1" : peerHost;
            peers = List.of(new Peer(nodeId, host, peerPort));
        }
        if (role == NodeRole.CORE && peers.stream().noneMatch(p -> p.id().equals(nodeId))) {
            throw new InvalidConfigException("aether.cluster.peers",
                    "core node '" + nodeId + "' is not in the voter set " + peers
                            + "; list every core node including this one");
        }
        if (role == NodeRole.WORKER && peers.isEmpty()) {
            throw new InvalidConfigException("aether.cluster.peers",
                    "a worker node needs at least one core node to connect to");
        }
        Path dataDir = checkDataDir(config.dataDir());
        int clusterId = config.cluster().id();
        if (clusterId <= 0) {
            throw new InvalidConfigException("aether.cluster.id", "cluster id " + clusterId + " must be positive");
        }
        long kvMaxDataBytes = config.kv().maxDataBytes();
        if (kvMaxDataBytes < 1 << 20 || kvMaxDataBytes > 1L << 30) {
            throw new InvalidConfigException("aether.kv.max-data-bytes", "quota " + kvMaxDataBytes
                    + " bytes is outside 1 MiB .. 1 GiB (the cluster's own state needs more than 1 MiB; a snapshot"
                    + " must fit one Java array)");
        }
        return new NodeSettings(nodeId, role, List.copyOf(peers), peerHost, peerPort, dataDir, clusterId,
                config.cluster().secret().orElse(""), kvMaxDataBytes);
    }

    /**
     * Fails when the peer port is taken, so the node stops with a clear line instead of running
     * half-connected. The transport binds the same port right after.
     */
    public void checkPeerPortFree() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(peerHost, peerPort));
        } catch (IOException e) {
            throw new InvalidConfigException("aether.cluster.peer-port",
                    "port " + peerPort + " on " + peerHost + " is already in use (" + e.getMessage() + ")");
        }
    }

    static void checkNodeId(String key, String id) {
        if (!NODE_ID.matcher(id).matches()) {
            throw new InvalidConfigException(key, "node id '" + id
                    + "' must be 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static NodeRole parseRole(String value) {
        String role = value.trim().toLowerCase(Locale.ROOT);
        return switch (role) {
            case "core" -> NodeRole.CORE;
            case "worker" -> NodeRole.WORKER;
            default -> throw new InvalidConfigException("aether.node.role",
                    "unknown role '" + value + "'; expected core or worker");
        };
    }

    private static List<Peer> parsePeers(List<String> entries) {
        String key = "aether.cluster.peers";
        List<Peer> peers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            Peer peer = Peer.parse(key, entry);
            if (!ids.add(peer.id())) {
                throw new InvalidConfigException(key, "duplicate peer id '" + peer.id() + "'");
            }
            if (!addresses.add(peer.host() + ":" + peer.port())) {
                throw new InvalidConfigException(key, "duplicate peer address " + peer.host() + ":" + peer.port());
            }
            peers.add(peer);
        }
        if (!peers.isEmpty() && peers.size() % 2 == 0) {
            throw new InvalidConfigException(key, peers.size()
                    + " core nodes listed; Rabia needs an odd number (1, 3 or 5) so that a majority is well defined");
        }
        return peers;
    }

    private static Path checkDataDir(String value) {
        String key = "aether.data-dir";
        if (value.isBlank()) {
            throw new InvalidConfigException(key, "is empty; set a directory for the write-ahead log");
        }
        Path dir = Path.of(value).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (AccessDeniedException e) {
            throw new InvalidConfigException(key, "'" + dir + "' is not writable (permission denied on " + e.getFile() + ")");
        } catch (FileSystemException e) {
            throw new InvalidConfigException(key, "'" + dir + "' is not writable (" + e.getReason() + " on " + e.getFile() + ")");
        } catch (IOException e) {
            throw new InvalidConfigException(key, "'" + dir + "' is not writable (" + e + ")");
        }
        return dir;
    }
}
