package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;

/** A command that follows a server-sent event stream: one output line per event. */
abstract class StreamCommand extends NodeCommand {

    /** Prints each event until the node ends the stream or Ctrl-C (in the REPL) cancels it. */
    int follow(String pathAndQuery) {
        Output output = output();
        boolean endedByNode = client().stream(pathAndQuery, event -> {
            JsonNode data = parse(event.data());
            if ("error".equals(event.event())) {
                root().context().err().println("error from the node: " + Table.text(data));
            } else if (output.isJson()) {
                output.jsonLine(data);
            } else {
                output.line(data.isObject() ? line(data) : event.data());
            }
        });
        if (endedByNode) {
            root().context().err().println("the node ended the stream");
        }
        return Exit.OK;
    }

    /** One event in table mode. */
    abstract String line(JsonNode event);

    private JsonNode parse(String data) {
        try {
            return root().context().json().readTree(data);
        } catch (IOException notJson) {
            return TextNode.valueOf(data);
        }
    }
}
