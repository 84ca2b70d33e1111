package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code aether audit verify}: checks the receipt ledger's hash chain, GET /api/v1/receipts/verify. */
@Command(name = "audit", description = "Check the decision receipts.", subcommands = AuditCommand.Verify.class)
final class AuditCommand extends GroupCommand {

    @Command(name = "verify", description = "Check that the receipt hash chain is intact; exit code 7 when it is not.")
    static final class Verify extends NodeCommand {

        @Override
        public Integer call() {
            JsonNode result = client().get("/api/v1/receipts/verify");
            boolean intact = result.path("ok").asBoolean(false);
            Output output = output();
            if (output.isJson()) {
                output.json(result);
            } else if (intact) {
                output.line("receipt chain intact: " + Table.text(result.get("receipts")) + " receipts, head "
                        + Table.text(result.get("head")));
            } else {
                root().context().err().println("receipt chain BROKEN at " + Table.text(result.get("firstBrokenLink")));
            }
            return intact ? Exit.OK : Exit.VERIFICATION_FAILED;
        }
    }
}
