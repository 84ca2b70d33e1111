package io.aether.core.deployment;

/** The {@code blueprints/{tenant}/{name}} keys of DESIGN §4. */
public final class BlueprintKeys {

    public static final String PREFIX = "blueprints/";

    private BlueprintKeys() {}

    public static String key(String tenant, String name) {
        return PREFIX + tenant + "/" + name;
    }

    /** The {@code tenant/name} id of a blueprint key. */
    public static String id(String key) {
        if (!key.startsWith(PREFIX)) {
            throw new IllegalArgumentException("key '" + key + "' is not under " + PREFIX);
        }
        return key.substring(PREFIX.length());
    }
}
