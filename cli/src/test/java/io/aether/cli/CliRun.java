package io.aether.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** One run of the CLI with captured stdout and stderr, as a script would see it. */
record CliRun(int exitCode, String out, String err) {

    static CliRun run(Map<String, String> env, Path home, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = CliContext.of(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new PrintWriter(out), new PrintWriter(err), env, home.resolve(".aether_history"));
        int code = Cli.run(args, context);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** A REPL session reading {@code input} as typed lines. */
    static CliRun repl(Map<String, String> env, Path home, String input) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = CliContext.of(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), new PrintWriter(out), new PrintWriter(err), env,
                home.resolve(".aether_history"));
        int code = Cli.run(new String[] {"repl"}, context);
        return new CliRun(code, out.toString(), err.toString());
    }
}
