package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code aether receipts [--from SEQ] [--limit N]}: the decision receipt ledger, GET /api/v1/receipts. */
@Command(name = "receipts", description = "List decision receipts in sequence order, from --from on.")
final class ReceiptsCommand extends NodeCommand {

    /** Enough of a SHA-256 hex hash to tell receipts apart by eye; the full one is in --output json. */
    static final int SHORT_HASH_CHARS = 12;

    @Option(names = "--from", paramLabel = "SEQ", defaultValue = "0",
            description = "The first sequence number shown; default ${DEFAULT-VALUE} (the start of the ledger).")
    long fromSeq;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Default ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() {
        if (fromSeq < 0) {
            throw new ParameterException(spec.commandLine(), "--from must be 0 or more, was " + fromSeq);
        }
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        JsonNode page = client().get("/api/v1/receipts?fromSeq=" + fromSeq + "&limit=" + limit);
        Output output = output();
        if (output.isJson()) {
            output.json(page);
            return Exit.OK;
        }
        JsonNode items = page.path("items");
        output.table(Table.of(items, List.of(
                Table.Column.field("SEQ", "seq"),
                Table.Column.field("TIME", "time"),
                Table.Column.field("ACTOR", "actor"),
                Table.Column.field("LAYER", "layer"),
                Table.Column.field("VERDICT", "verdict"),
                new Table.Column("HASH", receipt -> shortHash(Table.text(receipt.get("hash")))),
                Table.Column.field("REASONING", "reasoning"))));
        if (items.size() == limit) {
            root().context().err().println("showing --limit " + limit + " receipts; the next ones start at --from "
                    + (items.get(items.size() - 1).path("seq").asLong() + 1));
        }
        return Exit.OK;
    }

    private static String shortHash(String hash) {
        return hash.length() > SHORT_HASH_CHARS ? hash.substring(0, SHORT_HASH_CHARS) : hash;
    }
}
