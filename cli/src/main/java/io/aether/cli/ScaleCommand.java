package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code aether scale T/N ARTIFACT INSTANCES}: POST /api/v1/scale. */
@Command(name = "scale", description = "Set how many instances of a blueprint's slice run.")
final class ScaleCommand extends NodeCommand {

    @Parameters(index = "0", paramLabel = "TENANT/NAME", converter = BlueprintId.Converter.class)
    BlueprintId id;

    @Parameters(index = "1", paramLabel = "ARTIFACT", description = "group:artifact:version")
    String artifact;

    @Parameters(index = "2", paramLabel = "INSTANCES")
    int instances;

    @Override
    public Integer call() {
        if (instances < 0) {
            throw new ParameterException(spec.commandLine(), "INSTANCES must be 0 or more, was " + instances);
        }
        ObjectNode body = root().context().json().createObjectNode()
                .put("tenant", id.tenant()).put("name", id.name()).put("artifact", artifact).put("instances", instances);
        JsonNode answer = client().sendJson("POST", "/api/v1/scale", body);
        Output output = output();
        if (output.isJson()) {
            output.json(answer);
        } else {
            output.line("blueprint " + id + ": " + artifact + " scaled to " + instances + " instances");
        }
        return Exit.OK;
    }
}
