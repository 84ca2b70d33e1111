package io.aether.core.deployment;

import io.aether.core.deployment.BlueprintException.Violation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * An artifact (any version of {@code group:artifact}) and a (method, path) route belong to at most one blueprint
 * (docs/runtime.md). The API checks a candidate against the stored blueprints before writing it (409 on conflict).
 */
public final class BlueprintConflicts {

    private BlueprintConflicts() {}

    /** The conflicts of {@code candidate} with {@code existing}; a blueprint with the candidate's id is replaced. */
    public static List<Violation> find(Blueprint candidate, Collection<Blueprint> existing) {
        List<Violation> conflicts = new ArrayList<>();
        for (int i = 0; i < candidate.slices().size(); i++) {
            Blueprint.Slice s = candidate.slices().get(i);
            for (Blueprint other : existing) {
                if (other.id().equals(candidate.id())) {
                    continue;
                }
                for (Blueprint.Slice o : other.slices()) {
                    if (o.artifact().versionless().equals(s.artifact().versionless())) {
                        conflicts.add(new Violation("slices[" + i + "].artifact", "'" + s.artifact().versionless()
                                + "' already belongs to blueprint '" + other.id() + "'"));
                    }
                    for (int r = 0; r < s.routes().size(); r++) {
                        Blueprint.Route route = s.routes().get(r);
                        for (Blueprint.Route or : o.routes()) {
                            if (or.method().equals(route.method()) && or.path().equals(route.path())) {
                                conflicts.add(new Violation("slices[" + i + "].routes[" + r + "]", route.method()
                                        + " " + route.path() + " already belongs to blueprint '" + other.id() + "'"));
                            }
                        }
                    }
                }
            }
        }
        return conflicts;
    }

    /** Throws a {@link BlueprintException.Kind#CONFLICT} exception when {@link #find} finds any. */
    public static void check(Blueprint candidate, Collection<Blueprint> existing) {
        List<Violation> conflicts = find(candidate, existing);
        if (!conflicts.isEmpty()) {
            throw new BlueprintException(candidate.id(), BlueprintException.Kind.CONFLICT, conflicts);
        }
    }
}
