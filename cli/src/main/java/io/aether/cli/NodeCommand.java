package io.aether.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that asks a node: reaches the global options through the root command. */
abstract class NodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    AetherCommand root() {
        return (AetherCommand) spec.root().userObject();
    }

    NodeClient client() {
        return root().client();
    }

    Output output() {
        return root().output();
    }
}
