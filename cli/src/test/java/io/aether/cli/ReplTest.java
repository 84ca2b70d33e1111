package io.aether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive session: completion from the command model, commands run line by line, history kept. */
class ReplTest {

    @TempDir
    Path home;

    private List<String> complete(String line) {
        CliContext context = CliContext.of(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()), Map.of(), home.resolve("h"));
        CommandCompleter completer = new CommandCompleter(
                Cli.commandLine(context, Defaults.fromEnvironment(context), true).getCommandSpec(), Repl.REPL_WORDS);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse(line, line.length(), Parser.ParseContext.COMPLETE), candidates);
        return candidates.stream().map(Candidate::value).sorted().toList();
    }

    @Test
    void completesCommandNamesFromTheirPrefix() {
        assertEquals(List.of("blueprint"), complete("bl"));
        assertEquals(List.of("endpoints", "events", "exit"), complete("e"));
    }

    @Test
    void completesSubcommandsOfACommand() {
        assertEquals(List.of("apply"), complete("blueprint a"));
        assertEquals(List.of("apply", "delete", "get", "list"), complete("blueprint "));
    }

    @Test
    void completesTheControllerCommands() {
        assertEquals(List.of("proposals"), complete("pro"));
        assertEquals(List.of("mode"), complete("controller m"));
        assertEquals(List.of("approve"), complete("proposals a"));
        assertEquals(List.of("verify"), complete("audit "));
        assertEquals(List.of("receipts", "repl"), complete("re"));
    }

    @Test
    void completesAPositionalParametersFixedValues() {
        assertEquals(List.of("apply", "observe", "propose"), complete("controller mode "));
        assertEquals(List.of("propose"), complete("controller mode pr"));
        assertEquals(List.of(), complete("controller mode apply "));
    }

    @Test
    void completesOptionsAndTheirFixedValues() {
        assertEquals(List.of("--file", "-f"), complete("blueprint apply -").stream()
                .filter(o -> o.equals("-f") || o.equals("--file")).toList());
        assertTrue(complete("kv range --").contains("--limit"));
        assertEquals(List.of("json"), complete("slices --output j"));
        assertEquals(List.of("get"), complete("--output json kv g"));
    }

    @Test
    void aSessionRunsEachLineAndEndsOnExit() throws IOException {
        try (FakeNode node = new FakeNode()) {
            node.json("GET", "/api/v1/status", 200, "{\"nodeId\":\"node-1\"}")
                    .json("GET", "/api/v1/kv/greeting", 200, "{\"key\":\"greeting\",\"value\":\"hi\",\"modRevision\":3,"
                            + "\"version\":1}");

            CliRun run = CliRun.repl(Map.of("AETHER_URL", node.url()), home,
                    "status\n--output json kv get greeting\nexit\nstatus\n");

            assertEquals(0, run.exitCode(), run.err());
            assertEquals("""
                    nodeId  node-1
                    {
                      "key" : "greeting",
                      "value" : "hi",
                      "modRevision" : 3,
                      "version" : 1
                    }
                    """, run.out());
            assertEquals(2, node.requests().size(), "the line after exit never runs");
            assertEquals(List.of("status", "--output json kv get greeting", "exit"),
                    Files.readAllLines(home.resolve(".aether_history")).stream()
                            .map(l -> l.substring(l.indexOf(':') + 1)).toList());
        }
    }

    @Test
    void aFailingLineReportsItsErrorAndTheSessionGoesOn() throws IOException {
        try (FakeNode node = new FakeNode()) {
            node.json("GET", "/api/v1/status", 200, "{\"nodeId\":\"node-1\"}");

            CliRun run = CliRun.repl(Map.of("AETHER_URL", node.url()), home, "kv get nope\nfrobnicate\nstatus\n");

            assertEquals(0, run.exitCode());
            assertTrue(run.err().contains("error 404: no fake answer for /api/v1/kv/nope"), run.err());
            assertTrue(run.err().contains("Unmatched argument at index 0: 'frobnicate'"), run.err());
            assertEquals("nodeId  node-1\n", run.out());
        }
    }
}
