package io.aether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code aether kv get|put|delete|range|watch}: the replicated KV under /api/v1/kv. */
@Command(name = "kv", description = "Read, write and watch the replicated KV.",
        subcommands = {KvCommand.Get.class, KvCommand.Put.class, KvCommand.Delete.class, KvCommand.Range.class,
                KvCommand.Watch.class})
final class KvCommand extends GroupCommand {

    /** The node's limit on a value; a bigger file is refused before sending it. */
    static final long MAX_VALUE_BYTES = 1 << 20;

    /** The read consistency the node offers. */
    enum Consistency { linearizable, serializable }

    private static final List<Table.Column> ENTRY_COLUMNS = List.of(
            Table.Column.field("KEY", "key"),
            new Table.Column("VALUE", KvCommand::value),
            Table.Column.field("MOD_REVISION", "modRevision"),
            Table.Column.field("VERSION", "version"));

    @Command(name = "get", description = "Read one key.")
    static final class Get extends NodeCommand {

        @Parameters(paramLabel = "KEY")
        String key;

        @Option(names = "--consistency", paramLabel = "linearizable|serializable",
                description = "linearizable (through the log) or serializable (this node's state); "
                        + "default ${DEFAULT-VALUE}.", defaultValue = "linearizable")
        Consistency consistency;

        @Override
        public Integer call() {
            JsonNode entry = client().get(keyPath(key) + "?consistency=" + consistency);
            Output output = output();
            if (output.isJson()) {
                output.json(entry);
            } else {
                output.table(Table.of(List.of(entry), ENTRY_COLUMNS));
            }
            return Exit.OK;
        }
    }

    @Command(name = "put", description = "Write one key: the VALUE argument, or the bytes of -f FILE.")
    static final class Put extends NodeCommand {

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", arity = "0..1")
        String value;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Write this file's bytes as the value.")
        Path file;

        @Override
        public Integer call() {
            if ((value == null) == (file == null)) {
                throw new ParameterException(spec.commandLine(), "give either VALUE or -f FILE for key '" + key + "'");
            }
            byte[] bytes = file == null ? value.getBytes(StandardCharsets.UTF_8) : read(file);
            return printWrite(output(), client().send("PUT", keyPath(key), bytes, "application/octet-stream"));
        }

        private byte[] read(Path path) {
            try {
                if (Files.size(path) > MAX_VALUE_BYTES) {
                    throw new ParameterException(spec.commandLine(), path + " is larger than the node's value limit of "
                            + (MAX_VALUE_BYTES >> 20) + " MiB");
                }
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read " + path + ": " + e);
            }
        }
    }

    @Command(name = "delete", description = "Delete one key.")
    static final class Delete extends NodeCommand {

        @Parameters(paramLabel = "KEY")
        String key;

        @Override
        public Integer call() {
            return printWrite(output(), client().send("DELETE", keyPath(key), null, null));
        }
    }

    @Command(name = "range", description = "List the keys under a prefix.")
    static final class Range extends NodeCommand {

        @Parameters(paramLabel = "PREFIX", arity = "0..1", defaultValue = "", description = "Default: every key.")
        String prefix;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Default ${DEFAULT-VALUE}.")
        int limit;

        @Option(names = "--consistency", paramLabel = "linearizable|serializable", defaultValue = "linearizable",
                description = "Default ${DEFAULT-VALUE}.")
        Consistency consistency;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
            }
            JsonNode page = client().get("/api/v1/kv?prefix=" + Urls.query(prefix) + "&limit=" + limit
                    + "&consistency=" + consistency);
            Output output = output();
            if (output.isJson()) {
                output.json(page);
                return Exit.OK;
            }
            output.table(Table.of(page.path("kvs"), ENTRY_COLUMNS));
            if (page.path("more").asBoolean(false)) {
                root().context().err().println("more keys under '" + prefix + "' than --limit " + limit);
            }
            return Exit.OK;
        }
    }

    @Command(name = "watch", description = "Stream every change under a prefix until Ctrl-C.")
    static final class Watch extends StreamCommand {

        @Parameters(paramLabel = "PREFIX", arity = "0..1", defaultValue = "", description = "Default: every key.")
        String prefix;

        @Option(names = "--from", paramLabel = "REV", defaultValue = "0",
                description = "Start at this revision (0: from now on).")
        long fromRevision;

        @Override
        public Integer call() {
            return follow("/api/v1/kv-watch?prefix=" + Urls.query(prefix) + "&fromRevision=" + fromRevision);
        }

        /** {@code REVISION  TYPE  KEY  VALUE}. */
        @Override
        String line(JsonNode change) {
            JsonNode kv = change.path("kv");
            return Table.text(change.get("revision")) + "  " + Table.text(change.get("type")) + "  "
                    + Table.text(kv.get("key")) + ("DELETE".equals(change.path("type").asText()) ? "" : "  " + value(kv));
        }
    }

    /** A write's answer: the node's JSON, or {@code revision N} for people. */
    private static Integer printWrite(Output output, JsonNode answer) {
        if (output.isJson()) {
            output.json(answer);
        } else {
            output.line("revision " + answer.path("revision").asText("-"));
        }
        return Exit.OK;
    }

    static String keyPath(String key) {
        return "/api/v1/kv/" + Urls.path(key);
    }

    /** The value as text, or {@code base64:...} when the node had to encode it. */
    private static String value(JsonNode entry) {
        String value = Table.text(entry.get("value"));
        return "base64".equals(entry.path("encoding").asText()) ? "base64:" + value : value;
    }
}
