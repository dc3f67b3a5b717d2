package io.tributary.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long CLI task: a live bar on a terminal; on a pipe or in CI (where a bar would
 * print a carriage-return mess) a plain line every few seconds.
 *
 * <p>Not thread-safe except {@link #update}, which may be called from any thread.
 */
final class Progress implements AutoCloseable {
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

    private final ProgressBar bar;
    private final PrintStream out;
    private final String task;
    private final long total;
    private volatile long lastPrint = System.nanoTime();

    /** @param total units of work, or 0 when unknown (the bar then counts up) */
    Progress(String task, long total, String unit, PrintStream out) {
        this.task = task;
        this.total = total;
        this.out = out;
        boolean terminal = System.console() != null && System.getenv("CI") == null;
        this.bar = terminal
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total > 0 ? total : -1).setUnit(" " + unit, 1)
                        .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
                        .showSpeed().build()
                : null;
    }

    synchronized void update(long current, String extra) {
        if (bar != null) {
            bar.stepTo(current);
            bar.setExtraMessage(extra);
            return;
        }
        long now = System.nanoTime();
        if (now - lastPrint >= PLAIN_INTERVAL_NANOS) {
            lastPrint = now;
            out.println(task + ": " + current + (total > 0 ? "/" + total : "") + (extra.isEmpty() ? "" : " " + extra));
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
