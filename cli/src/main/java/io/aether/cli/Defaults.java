package io.aether.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default values of the global options: from the environment for a batch command, from the options the REPL was
 * started with for each REPL line.
 */
final class Defaults implements IDefaultValueProvider {

    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    static final String DEFAULT_TIMEOUT_SECONDS = "10";

    private final Map<String, String> byOption;

    private Defaults(Map<String, String> byOption) {
        this.byOption = Map.copyOf(byOption);
    }

    /** AETHER_URL and AETHER_TOKEN when set. */
    static Defaults fromEnvironment(CliContext context) {
        String url = context.env("AETHER_URL");
        String token = context.env("AETHER_TOKEN");
        Map<String, String> values = new HashMap<>();
        values.put("--url", url == null || url.isBlank() ? DEFAULT_URL : url);
        values.put("--output", Output.Format.table.name());
        values.put("--timeout", DEFAULT_TIMEOUT_SECONDS);
        if (token != null && !token.isBlank()) {
            values.put("--token", token);
        }
        return new Defaults(values);
    }

    /** The options a REPL was started with, as the defaults of every line typed in it. */
    static Defaults of(AetherCommand started) {
        Map<String, String> values = new HashMap<>();
        values.put("--url", started.url());
        values.put("--output", started.format().name());
        values.put("--timeout", Long.toString(started.timeoutSeconds()));
        if (started.token() != null) {
            values.put("--token", started.token());
        }
        return new Defaults(values);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        return argSpec instanceof OptionSpec option ? byOption.get(option.longestName()) : null;
    }
}
