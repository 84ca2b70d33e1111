package io.aether.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code aether repl}: an interactive session with history and tab completion. */
@Command(name = "repl", description = "Start an interactive session (history in ~/.aether_history, Tab completes).")
final class ReplCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AetherCommand root = (AetherCommand) spec.root().userObject();
        if (root.inRepl()) {
            throw new ParameterException(spec.commandLine(), "already in the REPL");
        }
        return new Repl(root.context(), Defaults.of(root)).run();
    }
}
