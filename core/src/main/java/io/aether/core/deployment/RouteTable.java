package io.aether.core.deployment;

import io.aether.core.slice.Artifact;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of every blueprint's routes: (method, path) to (artifact, entry, blueprint). The HTTP
 * router calls {@link #lookup} per request: one switch and one hash lookup, no allocation. {@link Blueprints}
 * swaps in a new table atomically whenever a blueprint changes. Should two stored blueprints claim one route
 * (only possible by writing the KV around the API), the blueprint first in id order keeps it.
 */
public final class RouteTable {

    /** Where a route leads, and the admission priority of its slice. */
    public record Target(Artifact artifact, String entry, String blueprint, Blueprint.Priority priority) {
    }

    public static final RouteTable EMPTY = new RouteTable(List.of(), List.of());

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};

    private final List<Map<String, Target>> byMethod;
    private final List<String> shadowed;

    private RouteTable(List<Map<String, Target>> byMethod, List<String> shadowed) {
        this.byMethod = byMethod;
        this.shadowed = shadowed;
    }

    /** Builds the table of {@code blueprints}. */
    public static RouteTable of(Collection<Blueprint> blueprints) {
        List<Map<String, Target>> maps = new ArrayList<>(METHODS.length);
        for (int i = 0; i < METHODS.length; i++) {
            maps.add(new HashMap<>());
        }
        List<String> shadowed = new ArrayList<>();
        List<Blueprint> sorted = new ArrayList<>(blueprints);
        sorted.sort(Comparator.comparing(Blueprint::id));
        for (Blueprint b : sorted) {
            for (Blueprint.Slice s : b.slices()) {
                for (Blueprint.Route r : s.routes()) {
                    int m = index(r.method());
                    if (m < 0) {
                        throw new IllegalArgumentException("blueprint '" + b.id() + "': route method '" + r.method()
                                + "' is not one of GET, POST, PUT, DELETE");
                    }
                    Target existing = maps.get(m).putIfAbsent(r.path(), new Target(s.artifact(), r.entry(), b.id(),
                            s.priority()));
                    if (existing != null) {
                        shadowed.add(r.method() + " " + r.path() + " of blueprint '" + b.id()
                                + "' is already routed by blueprint '" + existing.blueprint() + "'");
                    }
                }
            }
        }
        List<Map<String, Target>> frozen = new ArrayList<>(METHODS.length);
        for (Map<String, Target> m : maps) {
            frozen.add(Map.copyOf(m));
        }
        return new RouteTable(List.copyOf(frozen), List.copyOf(shadowed));
    }

    /** The target of {@code method path}, or null when no blueprint routes it. */
    public Target lookup(String method, String path) {
        int m = index(method);
        if (m < 0 || byMethod.isEmpty()) {
            return null;
        }
        return byMethod.get(m).get(path);
    }

    /** Routes dropped because another blueprint already had them (empty when the API guarded every write). */
    public List<String> shadowed() {
        return shadowed;
    }

    public int size() {
        int n = 0;
        for (Map<String, Target> m : byMethod) {
            n += m.size();
        }
        return n;
    }

    private static int index(String method) {
        switch (method) {
            case "GET":
                return 0;
            case "POST":
                return 1;
            case "PUT":
                return 2;
            case "DELETE":
                return 3;
            default:
                return -1;
        }
    }
}
