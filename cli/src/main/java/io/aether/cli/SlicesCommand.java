package io.aether.cli;

import java.util.List;
import picocli.CommandLine.Command;

/** {@code aether slices}: GET /api/v1/slices. */
@Command(name = "slices", description = "List slices on every node: state, instances, and why a slice FAILED.")
final class SlicesCommand extends ListCommand {

    @Override
    public Integer call() {
        return show("/api/v1/slices", List.of(
                Table.Column.field("NODE", "node"),
                Table.Column.field("ARTIFACT", "artifact"),
                Table.Column.field("STATE", "state"),
                Table.Column.field("INSTANCES", "instances"),
                Table.Column.field("REASON", "reason")));
    }
}
