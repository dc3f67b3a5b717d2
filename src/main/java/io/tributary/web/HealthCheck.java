package io.tributary.web;

/** A component's liveness for {@code /health}: returns normally when healthy, throws otherwise. */
public interface HealthCheck {
    String name();

    void check() throws Exception;

    static HealthCheck of(String name, ThrowingRunnable check) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void check() throws Exception {
                check.run();
            }
        };
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
