package io.aether.core.deployment;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A blueprint that breaks rules: every violation names the field and the rule, so the API can render them as
 * problem+json (400 for {@link Kind#INVALID}, 409 for {@link Kind#CONFLICT}).
 */
public final class BlueprintException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Whether the blueprint is wrong on its own, collides with another blueprint, or what it names is absent. */
    public enum Kind { INVALID, CONFLICT, NOT_FOUND }

    /** One broken rule: {@code field} is a path such as {@code slices[0].routes[1].path}. */
    public record Violation(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private final String blueprint;
    private final Kind kind;
    private final transient List<Violation> violations;

    public BlueprintException(String blueprint, Kind kind, List<Violation> violations) {
        super("blueprint '" + blueprint + "': "
                + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.blueprint = blueprint;
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    public String blueprint() {
        return blueprint;
    }

    public Kind kind() {
        return kind;
    }

    public List<Violation> violations() {
        return violations;
    }
}
