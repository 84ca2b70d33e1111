package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code aether controller} (GET /api/v1/controller) and {@code aether controller mode MODE}. */
@Command(name = "controller", description = "Show the controller: mode, leader, last decision, governors.",
        subcommands = ControllerCommand.SetMode.class)
final class ControllerCommand extends NodeCommand {

    /** The modes the guardrails know, as the API spells them. */
    enum Mode { observe, propose, apply }

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
        Table governors = new Table(List.of("ARTIFACT", "STATE"));
        for (Iterator<Map.Entry<String, JsonNode>> states = controller.path("governors").fields(); states.hasNext(); ) {
            Map.Entry<String, JsonNode> state = states.next();
            governors.row(List.of(state.getKey(), Table.text(state.getValue())));
        }
        output.table(governors);
        return Exit.OK;
    }

    @Command(name = "mode", description = "Set what the controller does with a decision: observe (record only), "
            + "propose (an operator approves), apply.")
    static final class SetMode extends NodeCommand {

        @Parameters(paramLabel = "observe|propose|apply")
        Mode mode;

        @Override
        public Integer call() {
            ObjectNode body = root().context().json().createObjectNode().put("mode", mode.name());
            JsonNode answer = client().sendJson("PUT", "/api/v1/controller/mode", body);
            Output output = output();
            if (output.isJson()) {
                output.json(answer);
            } else {
                output.line("controller mode: " + answer.path("mode").asText(mode.name()));
            }
            return Exit.OK;
        }
    }
}
