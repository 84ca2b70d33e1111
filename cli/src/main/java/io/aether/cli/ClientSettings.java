package io.aether.cli;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where and how to reach the nodes.
 *
 * @param nodes   base URIs in the order to try them
 * @param timeout how long to wait for a connection and for an answer (streams wait only for the connection)
 * @param token   sent as {@code Authorization: Bearer} when present
 */
record ClientSettings(List<URI> nodes, Duration timeout, Optional<String> token) {

    ClientSettings {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("--url names no node");
        }
    }

    /**
     * Parses a comma-separated --url list; an entry without a scheme is taken as {@code http://host:port}.
     *
     * @throws IllegalArgumentException naming the entry that is not an http(s) URL
     */
    static List<URI> parseUrls(String list) {
        List<URI> nodes = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            String withScheme = entry.contains("://") ? entry : "http://" + entry;
            while (withScheme.endsWith("/")) {
                withScheme = withScheme.substring(0, withScheme.length() - 1);
            }
            URI uri;
            try {
                uri = URI.create(withScheme);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--url entry '" + entry + "' is not a URL: " + e.getMessage());
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("--url entry '" + entry + "' is not an http(s)://host:port URL");
            }
            nodes.add(uri);
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("--url '" + list + "' names no node");
        }
        return nodes;
    }
}
