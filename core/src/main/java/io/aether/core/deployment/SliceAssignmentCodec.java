package io.aether.core.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aether.core.slice.SliceState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** JSON of {@code slices/} values, schema {@code "v":1}; {@code attempt} is optional (0 when absent). */
public final class SliceAssignmentCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    private SliceAssignmentCodec() {}

    public static byte[] encode(SliceAssignment a) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", VERSION);
        node.put("state", a.state().name());
        node.put("instances", a.instances());
        ObjectNode config = node.putObject("config");
        a.config().forEach(config::put);
        node.put("blueprint", a.blueprint());
        if (a.reason().isPresent()) {
            node.put("reason", a.reason().get());
        } else {
            node.putNull("reason");
        }
        node.put("updatedAt", a.updatedAt().toString());
        node.put("attempt", a.attempt());
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads the value of {@code key}; the message names the key and what is wrong. */
    public static SliceAssignment decode(String key, byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            int v = node.path("v").asInt(-1);
            if (v != VERSION) {
                throw new IllegalArgumentException("schema version " + v + "; this node reads version " + VERSION);
            }
            Map<String, String> config = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("config").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                config.put(e.getKey(), e.getValue().asText());
            }
            JsonNode reason = node.get("reason");
            return new SliceAssignment(SliceState.valueOf(node.path("state").asText("")),
                    node.path("instances").asInt(0), config, node.path("blueprint").asText(""),
                    reason == null || reason.isNull() ? Optional.empty() : Optional.of(reason.asText()),
                    Instant.parse(node.path("updatedAt").asText("")), node.path("attempt").asInt(0));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("slice assignment '" + key + "' is unreadable: " + e.getMessage(), e);
        }
    }
}
