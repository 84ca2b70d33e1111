package io.aether.cli;

import java.util.List;
import picocli.CommandLine.Command;

/** {@code aether nodes}: GET /api/v1/nodes. */
@Command(name = "nodes", description = "List the cluster's nodes: role, address, liveness, leader.")
final class NodesCommand extends ListCommand {

    @Override
    public Integer call() {
        return show("/api/v1/nodes", List.of(
                Table.Column.field("NODE", "id"),
                Table.Column.field("ROLE", "role"),
                Table.Column.field("HTTP", "http"),
                Table.Column.field("LIVE", "live"),
                Table.Column.field("LEADER", "leader"),
                Table.Column.field("DRAIN", "drain"),
                Table.Column.field("STARTED", "startedAt")));
    }
}
