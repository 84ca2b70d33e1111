package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code aether deploy ARTIFACT --tenant T --name N --instances K}: POST /api/v1/deploy. */
@Command(name = "deploy", description = "Deploy one artifact: creates or updates the blueprint holding it.")
final class DeployCommand extends NodeCommand {

    @Parameters(paramLabel = "ARTIFACT", description = "group:artifact:version")
    String artifact;

    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--name", required = true, description = "The blueprint's name.")
    String name;

    @Option(names = "--instances", paramLabel = "K", description = "Default ${DEFAULT-VALUE}.", defaultValue = "1")
    int instances;

    @Override
    public Integer call() {
        if (instances < 0) {
            throw new ParameterException(spec.commandLine(), "--instances must be 0 or more, was " + instances);
        }
        BlueprintId id = new BlueprintId(tenant, name);
        ObjectNode body = root().context().json().createObjectNode()
                .put("tenant", tenant).put("name", name).put("artifact", artifact).put("instances", instances);
        JsonNode answer = client().sendJson("POST", "/api/v1/deploy", body);
        Output output = output();
        if (output.isJson()) {
            output.json(answer);
        } else {
            output.line("blueprint " + id + ": " + artifact + " deployed with " + instances + " instances");
        }
        return Exit.OK;
    }
}
