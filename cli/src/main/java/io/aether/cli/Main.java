package io.aether.cli;

/** Entry point of {@code aether-cli.jar}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(args, CliContext.system()));
    }
}
