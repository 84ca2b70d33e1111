package io.aether.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion over picocli's model: subcommand names, option names after a '-', an option's fixed values
 * (such as {@code --output json|table}) after the option, and a positional parameter's fixed values (such as
 * {@code controller mode observe|propose|apply}) at its place.
 */
final class CommandCompleter implements Completer {

    private final CommandSpec root;
    private final List<String> replWords;

    /** @param replWords words the REPL understands itself at the start of a line, such as {@code exit} */
    CommandCompleter(CommandSpec root, List<String> replWords) {
        this.root = root;
        this.replWords = List.copyOf(replWords);
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int current = line.wordIndex();
        String prefix = line.word().substring(0, line.wordCursor());
        CommandSpec spec = root;
        int positionals = 0;
        for (int i = 0; i < current && i < words.size(); i++) {
            String word = words.get(i);
            CommandLine sub = spec.subcommands().get(word);
            if (sub != null) {
                spec = sub.getCommandSpec();
                positionals = 0;
                continue;
            }
            OptionSpec option = spec.findOption(word);
            if (option != null && option.arity().min() > 0) {
                if (i + 1 == current) {
                    addValues(option, prefix, candidates);
                    return;
                }
                i++;
            } else if (option == null && !word.startsWith("-")) {
                positionals++;
            }
        }
        if (prefix.startsWith("-")) {
            for (OptionSpec option : spec.options()) {
                if (option.hidden()) {
                    continue;
                }
                for (String name : option.names()) {
                    add(name, prefix, first(option.description()), option.arity().min() == 0, candidates);
                }
            }
            return;
        }
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            if (positional.index().contains(positionals)) {
                addValues(positional, prefix, candidates);
            }
        }
        for (Map.Entry<String, CommandLine> sub : spec.subcommands().entrySet()) {
            CommandSpec subSpec = sub.getValue().getCommandSpec();
            if (!subSpec.usageMessage().hidden()) {
                add(sub.getKey(), prefix, first(subSpec.usageMessage().description()), true, candidates);
            }
        }
        if (spec == root && current == 0) {
            for (String word : replWords) {
                add(word, prefix, null, true, candidates);
            }
        }
    }

    private static void addValues(ArgSpec arg, String prefix, List<Candidate> candidates) {
        Iterable<String> values = arg.completionCandidates();
        if (values == null) {
            return;
        }
        List<String> all = new ArrayList<>();
        values.forEach(all::add);
        for (String value : all) {
            add(value, prefix, null, true, candidates);
        }
    }

    private static void add(String value, String prefix, String description, boolean complete,
                            List<Candidate> candidates) {
        if (value.startsWith(prefix)) {
            candidates.add(new Candidate(value, value, null, description, null, null, complete));
        }
    }

    private static String first(String[] lines) {
        return lines.length == 0 ? null : lines[0];
    }
}
