package io.aether.core.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** JSON of {@code nodes/} values, schema {@code "v":1} (docs/runtime.md). */
public final class NodeCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    private NodeCodec() {}

    public static byte[] encode(NodeRecord r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("role", r.role().json());
        node.put("http", r.http());
        node.put("call", r.call());
        node.put("startedAt", r.startedAt().toString());
        node.put("beat", r.beat());
        node.put("drain", r.drain());
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads the record of {@code key}; the message names the key and what is wrong. */
    public static NodeRecord decode(String key, byte[] value) {
        String nodeId = NodeKeys.nodeId(key);
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("node '" + key + "' is not JSON: " + e.getMessage(), e);
        }
        int v = node.path("v").asInt(-1);
        if (v != VERSION) {
            throw new IllegalArgumentException("node '" + key + "' has schema version " + v
                    + "; this node reads version " + VERSION);
        }
        try {
            return new NodeRecord(nodeId, NodeRole.parse(node.path("role").asText("")),
                    required(key, node, "http"), required(key, node, "call"),
                    Instant.parse(required(key, node, "startedAt")), node.path("beat").asLong(0),
                    node.path("drain").asBoolean(false));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("node '" + key + "': startedAt is not an ISO-8601 instant", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node '" + key + "': " + e.getMessage(), e);
        }
    }

    private static String required(String key, JsonNode node, String field) {
        String text = node.path(field).asText("");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("node '" + key + "' has no '" + field + "'");
        }
        return text;
    }
}
