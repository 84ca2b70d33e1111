package io.aether.slice.api;

import java.util.concurrent.CompletionStage;

/**
 * One operation of a slice: a JSON request in, a JSON response out, asynchronously. A failed stage (or a
 * thrown exception) answers the caller with an error; a {@link SliceException} carries the status to use.
 */
@FunctionalInterface
public interface EntryPoint {

    /** Handles one call. {@code requestJson} is a JSON document ({@code {}} when the caller sent none). */
    CompletionStage<String> call(String requestJson);
}
