package io.aether.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code aether} command: global options, and the REPL when run bare on a terminal. */
@Command(name = "aether",
        description = "Operate an Aether cluster through a node's REST API.",
        subcommands = {StatusCommand.class, NodesCommand.class, SlicesCommand.class, EndpointsCommand.class,
                BlueprintCommand.class, ScaleCommand.class, DeployCommand.class, KvCommand.class,
                EventsCommand.class, ControllerCommand.class, ProposalsCommand.class, ReceiptsCommand.class,
                AuditCommand.class, WorkersCommand.class, ReplCommand.class},
        sortOptions = false,
        footer = {"", "Exit codes: 0 ok, 1 the node rejected the request, 2 usage error, 3 not found,",
                "4 conflict, 5 node unreachable or timed out, 6 node error (5xx), 7 verification failed."})
final class AetherCommand implements Callable<Integer> {

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL[,URL...]",
            description = "Node(s) to ask, in order; the next one is tried when one is unreachable "
                    + "(env AETHER_URL; default ${DEFAULT-VALUE}).")
    private String url;

    @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "json|table",
            description = "table (aligned columns) or json (the node's JSON); default ${DEFAULT-VALUE}.")
    private Output.Format format;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS",
            description = "How long to wait for a connection and an answer; default ${DEFAULT-VALUE}.")
    private long timeoutSeconds;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "Sent as 'Authorization: Bearer TOKEN' (env AETHER_TOKEN).")
    private String token;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private final CliContext context;
    private final boolean inRepl;

    AetherCommand(CliContext context, boolean inRepl) {
        this.context = context;
        this.inRepl = inRepl;
    }

    @Override
    public Integer call() {
        if (!inRepl && context.interactive()) {
            return new Repl(context, Defaults.of(this)).run();
        }
        spec.commandLine().usage(context.err());
        return Exit.USAGE;
    }

    String url() {
        return url;
    }

    Output.Format format() {
        return format;
    }

    long timeoutSeconds() {
        return timeoutSeconds;
    }

    String token() {
        return token;
    }

    CliContext context() {
        return context;
    }

    boolean inRepl() {
        return inRepl;
    }

    /** The client for the global options; a bad --url or --timeout is a usage error. */
    NodeClient client() {
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be at least 1 second, was " + timeoutSeconds);
        }
        try {
            return context.client(new ClientSettings(ClientSettings.parseUrls(url), Duration.ofSeconds(timeoutSeconds),
                    Optional.ofNullable(token).filter(t -> !t.isBlank())));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    Output output() {
        return new Output(context.out(), format, context.json());
    }
}
