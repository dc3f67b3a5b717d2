package io.tributary.schedule;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import java.util.Map;

/**
 * A declared schedule: when ({@code expression}) to run which task with which parameters.
 *
 * @param task the task kind, such as {@code analytics} or {@code compact}
 */
public record ScheduleSpec(String name, String expression, String task, Map<String, String> parameters, boolean enabled) {
    public ScheduleSpec {
        requireNonNull(name, "name is null");
        requireNonNull(expression, "expression is null");
        requireNonNull(task, "task is null");
        parameters = Map.copyOf(parameters);
        if (!name.matches("[a-zA-Z0-9_.-]{1,128}")) {
            throw TributaryException.invalidArgument("schedule name '%s' is invalid: use 1 to 128 characters from a-z, A-Z, 0-9, '_', '.' and '-'", name);
        }
        ScheduleExpression.parse(expression);
    }
}
