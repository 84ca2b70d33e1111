package io.aether.cli;

/** No node of the --url list answered: refused, unresolvable, or too slow. */
final class NodeUnreachableException extends RuntimeException {

    NodeUnreachableException(String message) {
        super(message);
    }
}
