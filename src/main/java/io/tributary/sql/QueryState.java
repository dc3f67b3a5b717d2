package io.tributary.sql;

/** Athena's query states. */
public enum QueryState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean done() {
        return switch (this) {
            case QUEUED, RUNNING -> false;
            case SUCCEEDED, FAILED, CANCELLED -> true;
        };
    }
}
