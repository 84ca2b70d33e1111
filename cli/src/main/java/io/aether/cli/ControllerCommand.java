package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aether controller} (GET /api/v1/controller) and {@code aether controller mode MODE [--layer l1|l2|l3]}.
 */
@Command(name = "controller", description = "Show the controller: mode, leader, last decision, layers, governors.",
        subcommands = ControllerCommand.SetMode.class)
final class ControllerCommand extends NodeCommand {

    /** The modes the guardrails know, as the API spells them. */
    enum Mode { observe, propose, apply }

    /** The layers that have a mode of their own, as the API spells them. */
    enum LayerName { l1, l2, l3 }

    @Override
    public Integer call() {
        JsonNode controller = client().get("/api/v1/controller");
        Output output = output();
        if (output.isJson()) {
            output.json(controller);
            return Exit.OK;
        }
        JsonNode last = controller.path("lastDecision");
        ObjectNode summary = root().context().json().createObjectNode();
        summary.set("mode", controller.get("mode"));
        summary.set("leader", controller.get("leader"));
        summary.set("decided at", last.get("at"));
        summary.set("layer", last.get("layer"));
        summary.set("reasoning", last.get("reasoning"));
        summary.put("changes", ProposalsCommand.changes(last.path("changes")));
        output.properties(summary);
        output.line("");
        Table layers = new Table(List.of("LAYER", "MODE", "EFFECTIVE", "EVERY", "IN FLIGHT", "LAST RUN",
                "LAST DECISION", "LAST FAILURE"));
        for (JsonNode layer : controller.path("layers")) {
            layers.row(List.of(Table.text(layer.get("layer")), Table.text(layer.get("mode")),
                    Table.text(layer.get("effectiveMode")), every(layer.get("everyMs")),
                    layer.path("inFlight").asBoolean() ? "yes" : "no", Table.text(layer.get("lastRun")),
                    Table.text(layer.path("lastDecision").get("reasoning")),
                    Table.text(layer.path("lastFailure").get("message"))));
        }
        output.table(layers);
        output.line("");
        Table governors = new Table(List.of("ARTIFACT", "STATE"));
        for (Iterator<Map.Entry<String, JsonNode>> states = controller.path("governors").fields(); states.hasNext(); ) {
            Map.Entry<String, JsonNode> state = states.next();
            governors.row(List.of(state.getKey(), Table.text(state.getValue())));
        }
        output.table(governors);
        return Exit.OK;
    }

    /** A layer's schedule; "not running" when the chain has no controller for it. */
    private static String every(JsonNode everyMs) {
        if (everyMs == null || everyMs.isNull()) {
            return "not running";
        }
        long ms = everyMs.asLong();
        if (ms == 0) {
            return "on escalation";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    @Command(name = "mode", description = "Set what the controller (or one layer, --layer) does with a decision: "
            + "observe (record only), propose (an operator approves), apply. A layer acts under the more restrictive "
            + "of the global mode and its own.")
    static final class SetMode extends NodeCommand {

        @Parameters(paramLabel = "observe|propose|apply")
        Mode mode;

        @Option(names = "--layer", paramLabel = "l1|l2|l3", description = "Set this layer's own mode, not the global one.")
        LayerName layer;

        @Override
        public Integer call() {
            ObjectNode body = root().context().json().createObjectNode().put("mode", mode.name());
            if (layer != null) {
                body.put("layer", layer.name());
            }
            JsonNode answer = client().sendJson("PUT", "/api/v1/controller/mode", body);
            Output output = output();
            if (output.isJson()) {
                output.json(answer);
            } else {
                String which = layer == null ? "controller mode" : "controller mode " + layer.name();
                output.line(which + ": " + answer.path("mode").asText(mode.name()));
            }
            return Exit.OK;
        }
    }
}
