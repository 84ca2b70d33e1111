package io.aether.core.net;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;

/** Captures the formatted WARNING lines of the net package (System.Logger is backed by java.util.logging). */
final class LogCapture extends Handler implements AutoCloseable {
    private static final String PACKAGE_LOGGER = "io.aether.core.net";
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(PACKAGE_LOGGER);

    LogCapture() {
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(formatter.formatMessage(record));
        }
    }

    List<String> warningsContaining(String fragment) {
        return warnings.stream().filter(w -> w.contains(fragment)).collect(Collectors.toList());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
