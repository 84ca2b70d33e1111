package io.aether.core.storage;

/**
 * A saved state: everything up to and including log index {@code lastIncludedIndex}, as opaque bytes.
 * The array is not copied; treat it as read-only.
 */
public record Snapshot(long lastIncludedIndex, byte[] data) {}
