package io.aether.core.slice;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * How an instance's {@link io.aether.slice.api.SliceContext#call} reaches other slices: the invoker plugs in here.
 * Same contract as that method: {@code artifact} is {@code group:artifact} or {@code group:artifact:version}; the
 * stage fails with a {@link io.aether.slice.api.SliceException} carrying the status.
 */
@FunctionalInterface
public interface SliceCaller {

    CompletionStage<String> call(String artifact, String entryPoint, String requestJson, Duration deadline);
}
