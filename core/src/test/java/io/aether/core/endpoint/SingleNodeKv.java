package io.aether.core.endpoint;

import io.aether.core.testing.Await;
import io.aether.core.testing.RealKv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The name the invoke tests know {@link RealKv} by; it adds nothing. New tests use {@link RealKv} and
 * {@link Await} directly.
 */
public final class SingleNodeKv extends RealKv {

    public SingleNodeKv(Path dir) throws IOException {
        super(dir);
    }

    /** {@link Await#until(String, BooleanSupplier)}. */
    public static void eventually(String what, BooleanSupplier condition) {
        Await.until(what, condition);
    }
}
