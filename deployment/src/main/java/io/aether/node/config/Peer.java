package io.aether.node.config;

/** One core node of the fixed voter set, as listed in {@code aether.cluster.peers}. */
public record Peer(String id, String host, int port) {

    /** Parses {@code id@host:port}; {@code key} names the config key in the error. */
    static Peer parse(String key, String entry) {
        int at = entry.indexOf('@');
        int colon = entry.lastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == entry.length() - 1) {
            throw new InvalidConfigException(key, "entry '" + entry + "' is not of the form id@host:port");
        }
        String id = entry.substring(0, at);
        String host = entry.substring(at + 1, colon);
        int port;
        try {
            port = Integer.parseInt(entry.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key, "entry '" + entry + "' has a non-numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new InvalidConfigException(key, "entry '" + entry + "' has port " + port + " outside 1..65535");
        }
        NodeSettings.checkNodeId(key, id);
        return new Peer(id, host, port);
    }

    @Override
    public String toString() {
        return id + "@" + host + ":" + port;
    }
}
