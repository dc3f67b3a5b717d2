package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import io.tributary.schedule.ScheduledTask;
import io.tributary.sql.catalog.TableName;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The {@code compact} schedule task: at each firing, compacts the previous hour (relative to the
 * firing time, so a late run compacts the same hour) from {@code source} (a JSON table) into
 * {@code target} (a Parquet table), both named {@code database.table}.
 */
public final class CompactTask implements ScheduledTask {
    private final Compaction compaction;

    public CompactTask(Compaction compaction) {
        this.compaction = requireNonNull(compaction, "compaction is null");
    }

    @Override
    public String kind() {
        return "compact";
    }

    @Override
    public void validate(Map<String, String> parameters) {
        for (String name : parameters.keySet()) {
            if (!Set.of("source", "target").contains(name)) {
                throw TributaryException.invalidArgument("unknown compact schedule parameter '%s'; use source and target (database.table)", name);
            }
        }
        for (String required : new String[] {"source", "target"}) {
            String value = parameters.get(required);
            if (value == null || !value.contains(".")) {
                throw TributaryException.invalidArgument("a compact schedule needs parameter '%s' as database.table, such as "
                        + "mydatabase.retail_trans_json", required);
            }
            TableName.parse(value, "default");
        }
    }

    @Override
    public String run(String schedule, Instant scheduledFor, Map<String, String> parameters) {
        Instant hour = scheduledFor.minus(Duration.ofHours(1));
        return compaction.compactHour(TableName.parse(parameters.get("source"), "default"), TableName.parse(parameters.get("target"), "default"),
                hour).summary();
    }
}
