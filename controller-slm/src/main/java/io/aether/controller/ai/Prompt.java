package io.aether.controller.ai;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A versioned system prompt. The version travels in every {@code ModelCall} the layer makes, so a receipt says
 * which prompt produced it. A prompt is written against one {@link ContextSummary#VERSION}: changing the summary
 * format means a new prompt version.
 *
 * @param version {@code l2-v2}
 */
public record Prompt(String version, String text) {

    public Prompt {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(text, "text");
    }

    /** Loads the UTF-8 resource {@code name} next to {@code anchor}; fails naming it when it is missing. */
    public static Prompt resource(Class<?> anchor, String name, String version) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("prompt " + version + ": resource '" + name + "' next to "
                        + anchor.getName() + " is missing from the class path");
            }
            return new Prompt(version, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("prompt " + version + ": reading resource '" + name + "' failed", e);
        }
    }
}
