package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code aether blueprint apply|get|list|delete}: /api/v1/blueprints. */
@Command(name = "blueprint", description = "Apply, show, list and delete blueprints.",
        subcommands = {BlueprintCommand.Apply.class, BlueprintCommand.Get.class, BlueprintCommand.ListAll.class,
                BlueprintCommand.Delete.class})
final class BlueprintCommand extends GroupCommand {

    /** The largest blueprint file read; 64 slices with routes and config stay far below. */
    static final long MAX_FILE_BYTES = 1 << 20;

    @Command(name = "apply", description = "Create or replace a blueprint from a JSON file (PUT).")
    static final class Apply extends NodeCommand {

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The blueprint JSON.")
        Path file;

        @Option(names = "--tenant", description = "Defaults to the file's \"tenant\" field.")
        String tenant;

        @Option(names = "--name", description = "Defaults to the file's \"name\" field.")
        String name;

        @Override
        public Integer call() {
            byte[] body = read(file);
            JsonNode blueprint;
            try {
                blueprint = root().context().json().readTree(body);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), file + " is not JSON: " + e.getMessage());
            }
            if (blueprint == null || !blueprint.isObject()) {
                throw new ParameterException(spec.commandLine(), file + " is not a JSON object");
            }
            BlueprintId id = new BlueprintId(pick(tenant, blueprint, "tenant"), pick(name, blueprint, "name"));
            JsonNode answer = client().send("PUT", id.path(), body, "application/json");
            Output output = output();
            if (output.isJson()) {
                output.json(answer);
            } else {
                JsonNode revision = answer.path("revision");
                output.line("blueprint " + id + " applied" + (revision.isNumber() ? " at revision " + revision : ""));
            }
            return Exit.OK;
        }

        private String pick(String option, JsonNode blueprint, String field) {
            if (option != null) {
                return option;
            }
            JsonNode value = blueprint.get(field);
            if (value == null || !value.isTextual() || value.asText().isEmpty()) {
                throw new ParameterException(spec.commandLine(),
                        "--" + field + " is required: " + file + " has no \"" + field + "\" field");
            }
            return value.asText();
        }

        private byte[] read(Path path) {
            try {
                if (Files.size(path) > MAX_FILE_BYTES) {
                    throw new ParameterException(spec.commandLine(),
                            path + " is larger than " + (MAX_FILE_BYTES >> 10) + " KiB; a blueprint is far smaller");
                }
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read " + path + ": " + e);
            }
        }
    }

    @Command(name = "get", description = "Show one blueprint.")
    static final class Get extends NodeCommand {

        @Parameters(paramLabel = "TENANT/NAME", converter = BlueprintId.Converter.class)
        BlueprintId id;

        @Override
        public Integer call() {
            JsonNode blueprint = client().get(id.path());
            Output output = output();
            if (output.isJson()) {
                output.json(blueprint);
                return Exit.OK;
            }
            output.line("blueprint " + id);
            output.table(Table.of(blueprint.path("slices"), List.of(
                    Table.Column.field("ARTIFACT", "artifact"),
                    Table.Column.field("INSTANCES", "instances"),
                    Table.Column.field("MIN", "min"),
                    Table.Column.field("MAX", "max"),
                    new Table.Column("P99_MS", slice -> Table.text(slice.path("slo").get("p99Ms"))),
                    new Table.Column("ROUTES", BlueprintCommand::routes))));
            return Exit.OK;
        }
    }

    @Command(name = "list", description = "List the blueprints.")
    static final class ListAll extends ListCommand {

        @Override
        public Integer call() {
            return show("/api/v1/blueprints", List.of(
                    Table.Column.field("TENANT", "tenant"),
                    Table.Column.field("NAME", "name"),
                    new Table.Column("SLICES", item -> item.path("slices").isArray()
                            ? Integer.toString(item.path("slices").size()) : Table.text(item.get("slices")))));
        }
    }

    @Command(name = "delete", description = "Delete a blueprint; its slices are unloaded.")
    static final class Delete extends NodeCommand {

        @Parameters(paramLabel = "TENANT/NAME", converter = BlueprintId.Converter.class)
        BlueprintId id;

        @Override
        public Integer call() {
            JsonNode answer = client().send("DELETE", id.path(), null, null);
            Output output = output();
            if (output.isJson()) {
                output.json(answer);
            } else {
                output.line("blueprint " + id + " deleted");
            }
            return Exit.OK;
        }
    }

    /** A slice's routes as {@code POST /greet -> greet, ...}. */
    private static String routes(JsonNode slice) {
        List<String> routes = new ArrayList<>();
        for (JsonNode route : slice.path("routes")) {
            routes.add(route.path("method").asText() + " " + route.path("path").asText() + " -> "
                    + route.path("entry").asText());
        }
        return routes.isEmpty() ? "-" : String.join(", ", routes);
    }
}
