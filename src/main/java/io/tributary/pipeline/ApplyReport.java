package io.tributary.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What applying a pipeline did, resource by resource. */
public record ApplyReport(List<Change> changes) {
    public ApplyReport {
        changes = List.copyOf(changes);
    }

    public record Change(String kind, String name, Action action, String detail) {
        public Change {
            requireNonNull(kind, "kind is null");
            requireNonNull(name, "name is null");
            requireNonNull(action, "action is null");
            requireNonNull(detail, "detail is null");
        }
    }

    public enum Action {
        CREATED,
        UPDATED,
        UNCHANGED,
        DELETED,
    }
}
