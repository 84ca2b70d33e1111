package io.aether.controller.ai;

/**
 * A model answer the {@link AnswerParser} refused. The message names the path and the problem
 * ({@code answer.actions[1].targetInstances: -3 is negative}); it is the reasoning of the {@code rejected} receipt.
 */
public final class InvalidAnswerException extends Exception {

    InvalidAnswerException(String message) {
        super(message);
    }
}
