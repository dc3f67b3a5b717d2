package io.tributary.sql.duckdb;

import static io.tributary.sql.duckdb.Functions.scalar;

/**
 * Trino's array, map and lambda functions (functions/array.html, map.html, lambda.html). Lambdas
 * are DuckDB's ({@code lambda x: ...}); the match functions follow Trino's three-valued answers.
 */
final class CollectionFunctions {
    private CollectionFunctions() {}

    static void register() {
        // Lambdas.
        scalar("transform", 2, 2, c -> "list_transform(" + c.joined() + ")");
        scalar("filter", 2, 2, c -> "list_filter(" + c.joined() + ")");
        // reduce(array, initial, (state, x) -> state', state -> result).
        scalar("reduce", 4, 4, c -> "list_transform([list_reduce(" + c.arg(0) + ", " + c.arg(2) + ", " + c.arg(1) + ")], " + c.arg(3) + ")[1]");
        scalar("any_match", 2, 2, c -> "trino.any_match(list_transform(" + c.joined() + "))");
        scalar("all_match", 2, 2, c -> "trino.all_match(list_transform(" + c.joined() + "))");
        scalar("none_match", 2, 2, c -> "trino.none_match(list_transform(" + c.joined() + "))");

        // Arrays.
        scalar("array_distinct", 1, 1, c -> "trino.array_distinct(" + c.arg(0) + ")");
        scalar("array_union", 2, 2, c -> "trino.array_distinct(list_concat(" + c.joined() + "))");
        scalar("array_intersect", 2, 2, c -> "trino.array_intersect(" + c.joined() + ")");
        scalar("array_except", 2, 2, c -> "trino.array_except(" + c.joined() + ")");
        scalar("arrays_overlap", 2, 2, c -> "trino.arrays_overlap(" + c.joined() + ")");
        scalar("array_remove", 2, 2, c -> "trino.array_remove(" + c.joined() + ")");
        scalar("concat_arrays", 2, 2, c -> "list_concat(" + c.joined() + ")");
        scalar("zip", 2, 5, c -> "list_zip(" + c.joined() + ")");
        scalar("repeat", 2, 2, c -> "trino.repeat(" + c.joined() + ")");
        scalar("array_sort", 1, 1, c -> "list_sort(" + c.arg(0) + ", 'ASC', 'NULLS LAST')");

        // Maps.
        scalar("map", 0, 2, c -> switch (c.args().size()) {
            case 0 -> "MAP {}";
            case 2 -> "map(" + c.joined() + ")";
            default -> throw io.tributary.common.TributaryException.invalidArgument("function map() takes 0 or 2 arguments (keys and values)");
        });
        scalar("map_keys", 1, 1, c -> "map_keys(" + c.arg(0) + ")");
        scalar("map_values", 1, 1, c -> "map_values(" + c.arg(0) + ")");
        scalar("map_from_entries", 1, 1, c -> "map_from_entries(" + c.arg(0) + ")");
        // Entries are anonymous rows, as Trino's array(row(K, V)).
        scalar("map_entries", 1, 1, c -> "list_transform(map_entries(" + c.arg(0) + "), lambda \"trino$e\": row(\"trino$e\".key, \"trino$e\".value))");
        scalar("map_concat", 2, 10, c -> "map_concat(" + c.joined() + ")");
    }
}
