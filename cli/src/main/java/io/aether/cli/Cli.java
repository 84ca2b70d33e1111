package io.aether.cli;

import java.util.concurrent.CancellationException;
import picocli.CommandLine;

/** Builds the picocli command line and maps every failure to its exit code and one clear stderr line. */
final class Cli {

    /** What a shell reports for a command ended by Ctrl-C. */
    static final int CANCELLED = 130;

    private Cli() {
    }

    /** Runs one command line; the exit code. */
    static int run(String[] args, CliContext context) {
        int code = commandLine(context, Defaults.fromEnvironment(context), false).execute(args);
        context.out().flush();
        context.err().flush();
        return code;
    }

    /** A fresh command line (picocli keeps parse state in it), with these defaults for the global options. */
    static CommandLine commandLine(CliContext context, Defaults defaults, boolean inRepl) {
        CommandLine commandLine = new CommandLine(new AetherCommand(context, inRepl));
        commandLine.setOut(context.out());
        commandLine.setErr(context.err());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setDefaultValueProvider(defaults);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ApiException api) {
                context.err().println(api.render());
                return api.exitCode();
            }
            if (e instanceof NodeUnreachableException unreachable) {
                context.err().println("error: " + unreachable.getMessage());
                return Exit.UNREACHABLE;
            }
            if (e instanceof CancellationException cancelled) {
                context.err().println("cancelled: " + cancelled.getMessage());
                return CANCELLED;
            }
            context.err().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return Exit.REJECTED;
        });
        return commandLine;
    }
}
