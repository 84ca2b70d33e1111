package io.aether.core.control;

import java.util.Optional;

/**
 * Thrown by a layer whose evaluation produced nothing usable: the model answered malformed JSON, the wrong schema,
 * an unknown slice, tried to step outside its contract, timed out, or the server refused (429/5xx). The control
 * loop turns it into a {@code rejected} receipt whose reasoning is {@link #getMessage()} and whose decision carries
 * {@link #model()} when a call was made; the layer below stands.
 *
 * <p>The message must say what was wrong and where ({@code "answer.actions[1].targetInstances: -3 is negative"}),
 * and must never contain credentials.
 */
public final class LayerFailure extends RuntimeException {

    private final Layer layer;
    private final transient Optional<ModelCall> model;

    public LayerFailure(Layer layer, String message, Optional<ModelCall> model, Throwable cause) {
        super(message, cause);
        this.layer = layer;
        this.model = model;
    }

    public LayerFailure(Layer layer, String message, Optional<ModelCall> model) {
        this(layer, message, model, null);
    }

    public Layer layer() {
        return layer;
    }

    public Optional<ModelCall> model() {
        return model;
    }
}
