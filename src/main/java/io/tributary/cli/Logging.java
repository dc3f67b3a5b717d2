package io.tributary.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/** Configures Logback from the {@code log.*} settings: level, text or JSON lines, console and/or file. */
final class Logging {
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level [%thread] %logger{30} - %msg%n";

    private Logging() {}

    static void configure(String level, String format, boolean console, Optional<Path> file) {
        // java.util.logging (Lucene, some JDK parts) goes through Logback too, not straight to stderr.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        // Keeps java.util.logging from formatting records that Logback would drop anyway.
        ch.qos.logback.classic.jul.LevelChangePropagator propagator = new ch.qos.logback.classic.jul.LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        context.addListener(propagator);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        Level ours = Level.toLevel(level.toUpperCase(Locale.ROOT), null);
        if (ours == null) {
            throw new IllegalArgumentException("log.level must be TRACE, DEBUG, INFO, WARN or ERROR, got " + level);
        }
        context.getLogger("io.tributary").setLevel(ours);
        // Lucene suggests the incubating Vector API at start-up; Tributary does no vector search.
        context.getLogger("org.apache.lucene.internal.vectorization").setLevel(Level.ERROR);
        if (console) {
            ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
            appender.setTarget("System.err");
            attach(context, root, appender, format);
        }
        file.ifPresent(f -> {
            FileAppender<ILoggingEvent> appender = new FileAppender<>();
            appender.setFile(f.toString());
            appender.setAppend(true);
            attach(context, root, appender, format);
        });
    }

    /** Client commands log only warnings, to stderr. */
    static void quiet() {
        configure("WARN", "text", true, Optional.empty());
    }

    private static void attach(LoggerContext context, Logger root, Appender<ILoggingEvent> appender, String format) {
        Encoder<ILoggingEvent> encoder = switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                json.start();
                yield json;
            }
            case "text" -> {
                PatternLayoutEncoder text = new PatternLayoutEncoder();
                text.setContext(context);
                text.setPattern(PATTERN);
                text.start();
                yield text;
            }
            default -> throw new IllegalArgumentException("log.format must be text or json, got " + format);
        };
        appender.setContext(context);
        if (appender instanceof ConsoleAppender<ILoggingEvent> c) {
            c.setEncoder(encoder);
        } else if (appender instanceof FileAppender<ILoggingEvent> f) {
            f.setEncoder(encoder);
        }
        appender.start();
        root.addAppender(appender);
    }
}
