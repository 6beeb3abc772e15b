package org.musicgen.generator.rest;

import org.jboss.logmanager.ExtLogRecord;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The WARN lines one class logs while a test listens (Quarkus logs through JBoss LogManager, the JUL manager). */
final class WarningLog extends Handler {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private WarningLog(Logger logger) {
        this.logger = logger;
    }

    static WarningLog of(Class<?> source) {
        WarningLog log = new WarningLog(Logger.getLogger(source.getName()));
        log.logger.addHandler(log);
        return log;
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Stops listening; the lines heard so far. */
    List<String> stop() {
        logger.removeHandler(this);
        return lines();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
