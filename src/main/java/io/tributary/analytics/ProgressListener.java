package io.tributary.analytics;

/** Receives a run's progress, for a CLI progress bar or live status in the UI. Implementations are thread-safe. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void total(long units) {}

        @Override
        public void advance(long units) {}
    };

    /** The amount of work, once known. */
    void total(long units);

    void advance(long units);
}
