package io.aether.core.slice;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Maven coordinates of a slice, {@code group:artifact:version}: the name a slice has in blueprints, in the
 * {@code slices/} and {@code endpoints/} keys, in the API and in the CLI.
 */
public record Artifact(String groupId, String artifactId, String version) implements Comparable<Artifact> {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");

    public Artifact {
        check("groupId", groupId);
        check("artifactId", artifactId);
        check("version", version);
    }

    /** Parses {@code group:artifact:version}; the message names what is wrong. */
    public static Artifact parse(String coordinates) {
        Objects.requireNonNull(coordinates, "coordinates");
        String[] parts = coordinates.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("artifact '" + coordinates
                    + "' is not group:artifact:version (3 parts separated by ':')");
        }
        try {
            return new Artifact(parts[0], parts[1], parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("artifact '" + coordinates + "': " + e.getMessage(), e);
        }
    }

    /** {@code group:artifact}, the name that matches every version. */
    public String versionless() {
        return groupId + ":" + artifactId;
    }

    @Override
    public String toString() {
        return groupId + ":" + artifactId + ":" + version;
    }

    @Override
    public int compareTo(Artifact o) {
        return toString().compareTo(o.toString());
    }

    private static void check(String what, String value) {
        if (value == null || !PART.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value
                    + "' must be 1..128 characters of letters, digits, '_', '.', '-'");
        }
    }
}
