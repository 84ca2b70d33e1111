package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code aether events}: the cluster's event stream, GET /api/v1/events. */
@Command(name = "events", description = "Stream cluster events (nodes, leader, slices) until Ctrl-C.")
final class EventsCommand extends StreamCommand {

    private static final Set<String> LEADING_FIELDS = Set.of("at", "type");

    @Override
    public Integer call() {
        return follow("/api/v1/events");
    }

    /** {@code AT  TYPE  field=value ...}. */
    @Override
    String line(JsonNode event) {
        List<String> rest = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = event.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!LEADING_FIELDS.contains(field.getKey())) {
                rest.add(field.getKey() + "=" + Table.text(field.getValue()));
            }
        }
        return Table.text(event.get("at")) + "  " + Table.text(event.get("type")) + "  " + String.join(" ", rest);
    }
}
