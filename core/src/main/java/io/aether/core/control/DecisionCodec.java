package io.aether.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decisions as JSON, for receipts and proposals: {@code {"layer":"L1","changes":[{"blueprint","artifact",
 * "fromInstances","toInstances","rule"}],"nodeActions":[{"kind","nodeId","reason"}],"reasoning","confidence",
 * "escalation":{"reason","detail"},"model":{"model","promptVersion","inputTokens","outputTokens","latencyMs"}}}
 * ({@code nodeId}, {@code escalation} and {@code model} omitted when empty).
 */
final class DecisionCodec {

    static final ObjectMapper JSON = new ObjectMapper();

    private DecisionCodec() {
    }

    static ObjectNode toJson(Decision d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("layer", d.layer().name());
        ArrayNode changes = n.putArray("changes");
        for (Decision.ScaleChange c : d.changes()) {
            changes.add(change(c));
        }
        ArrayNode actions = n.putArray("nodeActions");
        for (Decision.NodeAction a : d.nodeActions()) {
            ObjectNode o = actions.addObject();
            o.put("kind", a.kind().name());
            a.nodeId().ifPresent(id -> o.put("nodeId", id));
            o.put("reason", a.reason());
        }
        n.put("reasoning", d.reasoning());
        n.put("confidence", d.confidence());
        d.escalation().ifPresent(e -> {
            ObjectNode o = n.putObject("escalation");
            o.put("reason", e.reason().name());
            o.put("detail", e.detail());
        });
        d.model().ifPresent(m -> n.set("model", model(m)));
        return n;
    }

    static ObjectNode model(ModelCall m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", m.model());
        o.put("promptVersion", m.promptVersion());
        o.put("inputTokens", m.inputTokens());
        o.put("outputTokens", m.outputTokens());
        o.put("latencyMs", m.latencyMs());
        return o;
    }

    static ObjectNode change(Decision.ScaleChange c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("blueprint", c.blueprint());
        o.put("artifact", c.artifact());
        o.put("fromInstances", c.fromInstances());
        o.put("toInstances", c.toInstances());
        o.put("rule", c.rule());
        return o;
    }

    static Decision fromJson(JsonNode n) {
        List<Decision.ScaleChange> changes = new ArrayList<>();
        for (JsonNode c : n.path("changes")) {
            changes.add(new Decision.ScaleChange(c.path("blueprint").asText(), c.path("artifact").asText(),
                    c.path("fromInstances").asInt(), c.path("toInstances").asInt(), c.path("rule").asText()));
        }
        List<Decision.NodeAction> actions = new ArrayList<>();
        for (JsonNode a : n.path("nodeActions")) {
            actions.add(new Decision.NodeAction(Decision.NodeAction.Kind.valueOf(a.path("kind").asText()),
                    a.hasNonNull("nodeId") ? Optional.of(a.get("nodeId").asText()) : Optional.empty(),
                    a.path("reason").asText()));
        }
        JsonNode e = n.get("escalation");
        Optional<Decision.Escalation> escalation = e == null || e.isNull() ? Optional.empty()
                : Optional.of(new Decision.Escalation(Decision.Escalation.Reason.valueOf(e.path("reason").asText()),
                        e.path("detail").asText()));
        JsonNode m = n.get("model");
        Optional<ModelCall> model = m == null || m.isNull() ? Optional.empty()
                : Optional.of(new ModelCall(m.path("model").asText(), m.path("promptVersion").asText(),
                        m.path("inputTokens").asInt(), m.path("outputTokens").asInt(), m.path("latencyMs").asLong()));
        return new Decision(Layer.valueOf(n.path("layer").asText()), changes, actions, n.path("reasoning").asText(),
                n.path("confidence").asDouble(), escalation, model);
    }
}
