package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aether proposals list|approve|reject}: the controller's pending proposals under /api/v1/proposals. */
@Command(name = "proposals", description = "List, approve and reject the controller's proposals (mode propose).",
        subcommands = {ProposalsCommand.ListAll.class, ProposalsCommand.Approve.class, ProposalsCommand.Reject.class})
final class ProposalsCommand extends GroupCommand {

    @Command(name = "list", description = "List the proposals.")
    static final class ListAll extends ListCommand {

        @Override
        public Integer call() {
            return show("/api/v1/proposals", List.of(
                    Table.Column.field("ID", "id"),
                    Table.Column.field("LAYER", "layer"),
                    Table.Column.field("STATUS", "status"),
                    new Table.Column("CHANGES", proposal -> changes(proposal.path("changes"))),
                    Table.Column.field("EXPIRES", "expires"),
                    Table.Column.field("REASONING", "reasoning")));
        }
    }

    @Command(name = "approve", description = "Approve a proposal: its changes go through the guardrails and apply.")
    static final class Approve extends NodeCommand {

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode answer = client().send("POST", proposalPath(id) + "/approve", null, null);
            Output output = output();
            if (output.isJson()) {
                output.json(answer);
            } else {
                output.line("proposal " + id + " approved");
                answer.path("receipts").forEach(receipt -> output.line(receipt(receipt)));
            }
            return Exit.OK;
        }
    }

    @Command(name = "reject", description = "Reject a proposal; nothing changes.")
    static final class Reject extends NodeCommand {

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded in the receipt.")
        String reason;

        @Override
        public Integer call() {
            ObjectNode body = root().context().json().createObjectNode();
            if (reason != null) {
                body.put("reason", reason);
            }
            JsonNode receipt = client().sendJson("POST", proposalPath(id) + "/reject", body);
            Output output = output();
            if (output.isJson()) {
                output.json(receipt);
            } else {
                output.line("proposal " + id + " rejected");
                output.line(receipt(receipt));
            }
            return Exit.OK;
        }
    }

    /** Scale changes as {@code shop/web org.acme:cart:1.2 3->5, ...}; {@code -} for none. */
    static String changes(JsonNode changes) {
        List<String> described = new ArrayList<>();
        for (JsonNode change : changes) {
            described.add(Table.text(change.get("blueprint")) + " " + Table.text(change.get("artifact")) + " "
                    + Table.text(change.get("fromInstances")) + "->" + Table.text(change.get("toInstances")));
        }
        return described.isEmpty() ? "-" : String.join(", ", described);
    }

    /** {@code receipt 41 applied: reasoning}. */
    private static String receipt(JsonNode receipt) {
        JsonNode reasoning = receipt.get("reasoning");
        return "receipt " + Table.text(receipt.get("seq")) + " " + Table.text(receipt.get("verdict"))
                + (reasoning == null || reasoning.isNull() ? "" : ": " + reasoning.asText());
    }

    private static String proposalPath(String id) {
        return "/api/v1/proposals/" + Urls.segment(id);
    }
}
