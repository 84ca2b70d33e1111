package io.aether.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;

/**
 * What the CLI reads and writes and where it looks things up: the process, or a test. It also keeps the node
 * client between REPL commands, so the node that answered last is asked first.
 */
final class CliContext {

    /** Opens the terminal the REPL reads from. */
    interface Terminals {
        Terminal open() throws IOException;
    }

    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final Path historyFile;
    private final boolean interactive;
    private final Terminals terminals;
    private final ObjectMapper json = new ObjectMapper();
    private NodeClient client;

    CliContext(PrintWriter out, PrintWriter err, Map<String, String> env, Path historyFile, boolean interactive,
               Terminals terminals) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.historyFile = historyFile;
        this.interactive = interactive;
        this.terminals = terminals;
    }

    /** The real process: its streams, environment, ~/.aether_history and the system terminal. */
    static CliContext system() {
        Charset charset = Charset.defaultCharset();
        return new CliContext(new PrintWriter(new OutputStreamWriter(System.out, charset), true),
                new PrintWriter(new OutputStreamWriter(System.err, charset), true), System.getenv(),
                Path.of(System.getProperty("user.home"), ".aether_history"), System.console() != null,
                () -> TerminalBuilder.builder().name("aether").system(true).build());
    }

    /**
     * A context over given streams, for tests and embedding: the REPL reads lines from {@code in} and writes its
     * prompts to {@code terminalOut}; commands write to {@code out} and {@code err}.
     */
    static CliContext of(InputStream in, OutputStream terminalOut, PrintWriter out, PrintWriter err,
                         Map<String, String> env, Path historyFile) {
        return new CliContext(out, err, env, historyFile, false, () -> new DumbTerminal(in, terminalOut));
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    String env(String name) {
        return env.get(name);
    }

    Path historyFile() {
        return historyFile;
    }

    /** Whether a person sits at a terminal, which makes a bare {@code aether} start the REPL. */
    boolean interactive() {
        return interactive;
    }

    Terminal openTerminal() throws IOException {
        return terminals.open();
    }

    ObjectMapper json() {
        return json;
    }

    /** The client for these settings: the same one as last time while they do not change. */
    synchronized NodeClient client(ClientSettings settings) {
        if (client == null || !Objects.equals(client.settings(), settings)) {
            client = new NodeClient(settings, json);
        }
        return client;
    }

    /** Ends the stream a command is reading (Ctrl-C in the REPL). */
    void cancelStream() {
        NodeClient current;
        synchronized (this) {
            current = client;
        }
        if (current != null) {
            current.cancelStream();
        }
    }
}
