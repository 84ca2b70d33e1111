package io.aether.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive session: reads a line, runs it as an {@code aether} command with the session's global options as
 * defaults ({@code help X} is {@code X --help}), and goes on until {@code exit}, {@code quit} or Ctrl-D. Ctrl-C at the prompt clears the line; during
 * a streaming command it ends the stream.
 */
final class Repl {

    static final String PROMPT = "aether> ";
    /** Words the REPL understands itself; {@code help X} shows the usage of command X. */
    static final List<String> REPL_WORDS = List.of("exit", "quit", "help");
    /** Lines kept in ~/.aether_history. */
    static final int HISTORY_LINES = 1000;

    private final CliContext context;
    private final Defaults session;

    Repl(CliContext context, Defaults session) {
        this.context = context;
        this.session = session;
    }

    /** Runs until the user leaves; the exit code of the session (0). */
    int run() {
        DefaultParser parser = new DefaultParser();
        try (Terminal terminal = context.openTerminal()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("aether")
                    .parser(parser)
                    .completer(new CommandCompleter(Cli.commandLine(context, session, true).getCommandSpec(),
                            REPL_WORDS))
                    .variable(LineReader.HISTORY_FILE, context.historyFile())
                    .variable(LineReader.HISTORY_SIZE, HISTORY_LINES)
                    .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_LINES)
                    .build();
            terminal.handle(Terminal.Signal.INT, signal -> context.cancelStream());
            while (true) {
                String line;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                List<String> words = words(parser, line);
                if (words.isEmpty()) {
                    continue;
                }
                if (words.size() == 1 && (words.get(0).equals("exit") || words.get(0).equals("quit"))) {
                    break;
                }
                if (words.get(0).equals("help")) {
                    words = new ArrayList<>(words.subList(1, words.size()));
                    words.add("--help");
                }
                Cli.commandLine(context, session, true).execute(words.toArray(String[]::new));
                context.out().flush();
                context.err().flush();
            }
            reader.getHistory().save();
        } catch (IOException e) {
            throw new UncheckedIOException("the REPL's terminal failed", e);
        }
        return Exit.OK;
    }

    /** The line's words, with quotes and escapes resolved as the completion saw them. */
    private static List<String> words(DefaultParser parser, String line) {
        List<String> words = new ArrayList<>();
        for (String word : parser.parse(line, line.length()).words()) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }
}
