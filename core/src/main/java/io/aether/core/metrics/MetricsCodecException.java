package io.aether.core.metrics;

/** A metrics frame (0x42 or 0x43) that is not well-formed; the message names the field. */
final class MetricsCodecException extends RuntimeException {
    MetricsCodecException(String message) {
        super(message);
    }
}
