package io.aether.core.slice;

import java.util.ResourceBundle;

/** The logger a slice instance gets: the node's {@code System.Logger} for the slice, each line prefixed with who logs. */
final class SliceLogger implements System.Logger {

    private final System.Logger delegate;
    private final String prefix;

    SliceLogger(Artifact artifact, String instanceId) {
        this.delegate = System.getLogger("io.aether.slice." + artifact.versionless());
        this.prefix = "[" + artifact + " " + instanceId + "] ";
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return delegate.isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        delegate.log(level, bundle, prefix + msg, thrown);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        delegate.log(level, bundle, prefix + format, params);
    }
}
