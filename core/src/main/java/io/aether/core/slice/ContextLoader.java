package io.aether.core.slice;

import java.util.function.Supplier;

/** Runs slice code with the slice's class loader as the thread's context class loader, and restores it after. */
final class ContextLoader {

    private ContextLoader() {
    }

    static <T> T call(ClassLoader loader, Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
