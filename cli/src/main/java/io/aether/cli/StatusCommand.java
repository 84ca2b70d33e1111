package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code aether status}: GET /api/v1/status. */
@Command(name = "status", description = "Show the node's id, role, version and uptime.")
final class StatusCommand extends NodeCommand {

    @Override
    public Integer call() {
        JsonNode status = client().get("/api/v1/status");
        Output output = output();
        if (output.isJson()) {
            output.json(status);
        } else {
            output.properties(status);
        }
        return Exit.OK;
    }
}
