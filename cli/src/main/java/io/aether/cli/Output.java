package io.aether.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;

/** Writes answers as the user asked: aligned tables for people, the node's JSON for scripts. */
final class Output {

    /** The --output choices. */
    enum Format { table, json }

    private final PrintWriter out;
    private final Format format;
    private final ObjectMapper json;

    Output(PrintWriter out, Format format, ObjectMapper json) {
        this.out = out;
        this.format = format;
        this.json = json;
    }

    boolean isJson() {
        return format == Format.json;
    }

    /** The node's answer pretty-printed; nothing when it answered with no body. */
    void json(JsonNode answer) {
        if (answer.isMissingNode()) {
            return;
        }
        out.println(write(answer, true));
        out.flush();
    }

    /** One streamed event: compact JSON on one line, so each line stays one event. */
    void jsonLine(JsonNode event) {
        out.println(write(event, false));
        out.flush();
    }

    void table(Table table) {
        out.print(table.render());
        out.flush();
    }

    /** An object's fields as aligned {@code name  value} lines. */
    void properties(JsonNode object) {
        int width = 0;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            width = Math.max(width, names.next().length());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            out.println(field.getKey() + " ".repeat(width - field.getKey().length() + 2) + Table.text(field.getValue()));
        }
        out.flush();
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    private String write(JsonNode node, boolean pretty) {
        try {
            return pretty ? json.writerWithDefaultPrettyPrinter().writeValueAsString(node) : json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print the node's JSON answer: " + e.getMessage(), e);
        }
    }
}
