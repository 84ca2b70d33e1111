package io.aether.cli;

import java.util.List;
import picocli.CommandLine.Command;

/** {@code aether endpoints}: GET /api/v1/endpoints. */
@Command(name = "endpoints", description = "List the published endpoints: artifact, entry point, instance, node.")
final class EndpointsCommand extends ListCommand {

    @Override
    public Integer call() {
        return show("/api/v1/endpoints", List.of(
                Table.Column.field("ARTIFACT", "artifact"),
                Table.Column.field("ENTRY", "entry"),
                Table.Column.field("INSTANCE", "instance"),
                Table.Column.field("NODE", "node"),
                Table.Column.field("STATE", "state")));
    }
}
