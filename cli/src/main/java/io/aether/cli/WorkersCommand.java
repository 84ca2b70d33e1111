package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code aether workers list|add|remove}: the worker nodes the node's provisioner runs, under /api/v1/workers. */
@Command(name = "workers", description = "List, add and remove the worker nodes the node's provisioner runs "
        + "(aether.provisioner=local).",
        subcommands = {WorkersCommand.ListAll.class, WorkersCommand.Add.class, WorkersCommand.Remove.class})
final class WorkersCommand extends GroupCommand {

    @Command(name = "list", description = "List the workers this node started.")
    static final class ListAll extends ListCommand {

        @Override
        public Integer call() {
            return show("/api/v1/workers", List.of(
                    Table.Column.field("NODE", "id"),
                    Table.Column.field("STATE", "state"),
                    Table.Column.field("PID", "pid"),
                    Table.Column.field("HTTP", "httpPort"),
                    Table.Column.field("LIVE", "live")));
        }
    }

    @Command(name = "add", description = "Start one worker node; prints its node id once its process started.")
    static final class Add extends NodeCommand {

        @Override
        public Integer call() {
            JsonNode answer = client().send("POST", "/api/v1/workers", null, null);
            Output output = output();
            if (output.isJson()) {
                output.json(answer);
            } else {
                output.line("worker " + Table.text(answer.get("id")) + " started; it joins the cluster shortly");
            }
            return Exit.OK;
        }
    }

    @Command(name = "remove", description = "Drain a worker, wait until its instances moved, then stop it "
            + "(allow --timeout for the drain).")
    static final class Remove extends NodeCommand {

        @Parameters(paramLabel = "NODE-ID")
        String id;

        @Override
        public Integer call() {
            JsonNode answer = client().send("DELETE", "/api/v1/workers/" + Urls.segment(id), null, null);
            Output output = output();
            if (output.isJson()) {
                output.json(answer);
            } else {
                output.line("worker " + id + " drained and stopped");
            }
            return Exit.OK;
        }
    }
}
