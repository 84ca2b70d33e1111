package io.aether.core.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aether.core.slice.Artifact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** JSON of {@code endpoints/} values, schema {@code "v":1}. */
public final class EndpointCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    private EndpointCodec() {}

    public static byte[] encode(EndpointRecord r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("node", r.nodeId());
        node.put("instance", r.instanceId());
        node.put("state", r.state());
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads the record of {@code key}; the message names the key and what is wrong. */
    public static EndpointRecord decode(String key, byte[] value) {
        if (!key.startsWith(EndpointKeys.PREFIX)) {
            throw new IllegalArgumentException("key '" + key + "' is not under " + EndpointKeys.PREFIX);
        }
        String rest = key.substring(EndpointKeys.PREFIX.length());
        int slash = rest.indexOf('/');
        int colon = slash < 0 ? -1 : rest.indexOf(':', slash);
        if (slash < 0 || colon < 0) {
            throw new IllegalArgumentException("endpoint key '" + key
                    + "' is not endpoints/{group:artifact:version}/{entry}:{instance}");
        }
        Artifact artifact = Artifact.parse(rest.substring(0, slash));
        String entry = rest.substring(slash + 1, colon);
        String instance = rest.substring(colon + 1);
        try {
            JsonNode node = JSON.readTree(value);
            int v = node.path("v").asInt(-1);
            if (v != VERSION) {
                throw new IllegalArgumentException("endpoint '" + key + "' has schema version " + v
                        + "; this node reads version " + VERSION);
            }
            String nodeId = node.path("node").asText("");
            if (nodeId.isEmpty()) {
                throw new IllegalArgumentException("endpoint '" + key + "' has no 'node'");
            }
            return new EndpointRecord(artifact, entry, nodeId, instance, node.path("state").asText("ACTIVE"));
        } catch (IOException e) {
            throw new IllegalArgumentException("endpoint '" + key + "' is not JSON: " + e.getMessage(), e);
        }
    }
}
