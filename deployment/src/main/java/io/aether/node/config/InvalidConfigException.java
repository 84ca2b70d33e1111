package io.aether.node.config;

/** A configuration value that stops the node from starting; the message names the key and the problem. */
public final class InvalidConfigException extends RuntimeException {

    private final String key;

    public InvalidConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The configuration key that holds the bad value. */
    public String key() {
        return key;
    }
}
