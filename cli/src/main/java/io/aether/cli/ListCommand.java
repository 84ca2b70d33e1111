package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A command that shows a list the node answers as {@code {"items":[...]}}. */
abstract class ListCommand extends NodeCommand {

    /** Shows the list at {@code path}: the node's JSON, or a table of these columns. */
    int show(String path, List<Table.Column> columns) {
        JsonNode answer = client().get(path);
        Output output = output();
        if (output.isJson()) {
            output.json(answer);
        } else {
            output.table(Table.of(answer.path("items"), columns));
        }
        return Exit.OK;
    }
}
