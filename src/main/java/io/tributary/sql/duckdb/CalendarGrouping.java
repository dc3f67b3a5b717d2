package io.tributary.sql.duckdb;

import io.trino.sql.tree.AllColumns;
import io.trino.sql.tree.Cast;
import io.trino.sql.tree.DereferenceExpression;
import io.trino.sql.tree.ExistsPredicate;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.FunctionCall;
import io.trino.sql.tree.GroupingElement;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Literal;
import io.trino.sql.tree.LongLiteral;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.QualifiedName;
import io.trino.sql.tree.QuerySpecification;
import io.trino.sql.tree.SelectItem;
import io.trino.sql.tree.SimpleGroupBy;
import io.trino.sql.tree.SingleColumn;
import io.trino.sql.tree.StringLiteral;
import io.trino.sql.tree.SubqueryExpression;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Groups by calendar parts instead of truncated timestamps: {@code GROUP BY date_trunc('month', t)}
 * becomes {@code GROUP BY year(t), month(t)}, and {@code date_trunc('month', t)} outside aggregates
 * becomes {@code date_trunc('month', min(t))}.
 *
 * <p>Why: the time-bucketed aggregate is the most common BI query (every monthly chart and date
 * histogram), and DuckDB's {@code date_trunc} for calendar units builds a timestamp for every row
 * and then hashes it, which costs about twice the rest of such a query over Parquet. Extracting
 * the year and month is cheap, and grouping on them makes exactly the same groups: two values
 * have the same {@code date_trunc('month', ...)} if and only if they have the same year and month,
 * and NULL maps to NULL on both sides. Within a group every row has the same truncated value, so
 * truncating the group's minimum gives it, with the function's own result type.
 *
 * <p>Applied only where that reasoning holds: plain {@code GROUP BY} lists (no grouping sets),
 * units {@code year}, {@code quarter} and {@code month}, a truncated expression made of columns,
 * casts, literals and deterministic conversions, and no subqueries in the select list, HAVING or
 * ORDER BY (they could refer to the key from another scope). Anything else is translated as
 * written.
 */
record CalendarGrouping(List<String> groupBy, Map<String, String> replacements) {
    private static final Map<String, List<String>> PARTS = Map.of(
            "year", List.of("year"),
            "quarter", List.of("year", "quarter"),
            "month", List.of("year", "month"));
    /** Functions that may appear in a truncated expression: deterministic, row-local conversions. */
    private static final Set<String> CONVERSIONS = Set.of("from_iso8601_timestamp", "from_iso8601_date", "from_unixtime", "date_parse", "parse_datetime",
            "date");

    /**
     * The rewrite for {@code spec}, or empty where it does not apply.
     *
     * @param translate translates an expression as written (no keys replaced)
     */
    static Optional<CalendarGrouping> of(QuerySpecification spec, Function<Expression, String> translate) {
        if (spec.getGroupBy().isEmpty() || spec.getGroupBy().get().isDistinct()) {
            return Optional.empty();
        }
        List<SelectItem> items = spec.getSelect().getSelectItems();
        List<Expression> keys = new ArrayList<>();
        for (GroupingElement element : spec.getGroupBy().get().getGroupingElements()) {
            if (!(element instanceof SimpleGroupBy simple)) {
                return Optional.empty();
            }
            for (Expression e : simple.getExpressions()) {
                if (e instanceof LongLiteral ordinal) {
                    // GROUP BY n means the n-th select expression; resolved here because that expression may be rewritten.
                    long n = ordinal.getParsedValue();
                    if (n < 1 || n > items.size() || !(items.get((int) n - 1) instanceof SingleColumn column)) {
                        return Optional.empty();
                    }
                    keys.add(column.getExpression());
                } else {
                    keys.add(e);
                }
            }
        }
        if (keys.stream().noneMatch(CalendarGrouping::calendarKey)) {
            return Optional.empty();
        }
        for (SelectItem item : items) {
            if (item instanceof AllColumns || hasSubquery(item)) {
                return Optional.empty();
            }
        }
        if (spec.getHaving().map(CalendarGrouping::hasSubquery).orElse(false) || spec.getOrderBy().map(CalendarGrouping::hasSubquery).orElse(false)) {
            return Optional.empty();
        }
        List<String> groupBy = new ArrayList<>();
        Map<String, String> replacements = new LinkedHashMap<>();
        for (Expression key : keys) {
            if (!calendarKey(key)) {
                groupBy.add(translate.apply(key));
                continue;
            }
            FunctionCall call = (FunctionCall) key;
            String unit = ((StringLiteral) call.getArguments().get(0)).getValue().toLowerCase(Locale.ROOT);
            Expression truncated = call.getArguments().get(1);
            for (String part : PARTS.get(unit)) {
                groupBy.add(translate.apply(call(key, part, List.of(truncated))));
            }
            Expression rebuilt = call(key, "date_trunc", List.of(call.getArguments().get(0), call(key, "min", List.of(truncated))));
            replacements.put(translate.apply(key), translate.apply(rebuilt));
        }
        return Optional.of(new CalendarGrouping(List.copyOf(groupBy), Map.copyOf(replacements)));
    }

    private static boolean calendarKey(Expression e) {
        return e instanceof FunctionCall f
                && f.getName().getParts().size() == 1
                && f.getName().getSuffix().equalsIgnoreCase("date_trunc")
                && f.getArguments().size() == 2
                && f.getWindow().isEmpty() && f.getFilter().isEmpty() && f.getOrderBy().isEmpty() && !f.isDistinct()
                && f.getArguments().get(0) instanceof StringLiteral unit
                && PARTS.containsKey(unit.getValue().toLowerCase(Locale.ROOT))
                && rowLocal(f.getArguments().get(1));
    }

    /** Columns, casts, literals and deterministic conversions: the same row gives the same value every time. */
    private static boolean rowLocal(Expression e) {
        return switch (e) {
            case Identifier i -> true;
            case DereferenceExpression d -> rowLocal(d.getBase());
            case Literal l -> true;
            case Cast c -> rowLocal(c.getExpression());
            case FunctionCall f -> f.getName().getParts().size() == 1 && CONVERSIONS.contains(f.getName().getSuffix().toLowerCase(Locale.ROOT))
                    && f.getWindow().isEmpty() && f.getFilter().isEmpty() && !f.isDistinct()
                    && f.getArguments().stream().allMatch(CalendarGrouping::rowLocal);
            default -> false;
        };
    }

    private static boolean hasSubquery(Node node) {
        if (node instanceof SubqueryExpression || node instanceof ExistsPredicate) {
            return true;
        }
        return node.getChildren().stream().anyMatch(CalendarGrouping::hasSubquery);
    }

    private static FunctionCall call(Expression at, String name, List<Expression> arguments) {
        return new FunctionCall(at.getLocation(), QualifiedName.of(name), Optional.empty(), Optional.empty(), Optional.empty(), false,
                Optional.empty(), Optional.empty(), arguments);
    }
}
