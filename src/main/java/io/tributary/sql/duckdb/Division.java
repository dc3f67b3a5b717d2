package io.tributary.sql.duckdb;

/**
 * {@code a / b} with Trino's result for each type: integers truncate (DuckDB runs with
 * {@code integer_division}), a double or real divided by zero is an infinity or NaN, and a decimal
 * divided by a decimal or an integer is a decimal of the larger scale, rounded half up. The branch
 * is chosen from the operands' types when DuckDB binds the query ({@code struct_extract} of a
 * constant key), so only one is evaluated.
 */
final class Division {
    private Division() {}

    /**
     * a / b for decimals (and an integer with a decimal): scale max(a's, b's), rounded half up (DecimalOperators.divide,
     * UnscaledDecimal128Arithmetic.divideRoundUp). The digits are divided as integers; multiplying the quotient by 10^-s,
     * a decimal of scale s made by {@code round}, gives it that scale. The precision is 38, where Trino's is
     * min(38, p_a + s_b + max(s_b - s_a, 0)); the value is the same. Emitted here, not as a macro: {@code round}'s scale must
     * be a constant when DuckDB binds it, which a macro's parameter is not when the macro is created.
     */
    private static String decimal(String a, String b) {
        String scale = "greatest(trino.scale(" + a + "), trino.scale(" + b + "))";
        String unit = "round(CAST(CASE WHEN " + scale + " = 0 THEN '1' ELSE '0.' || repeat('0', " + scale + " - 1) || '1' END AS DECIMAL(38, 37)), "
                + scale + ")";
        String quotient = "CAST(trino.quotient_half_up(trino.unscaled(" + a + ") * trino.ten(" + scale + " + trino.scale(" + b + ") - trino.scale(" + a
                + ")), nullif(trino.unscaled(" + b + "), 0)) AS DECIMAL(38, 0)) * " + unit;
        return "CASE WHEN trino.unscaled(" + b + ") = 0 THEN trino.fail_like(trino.unscaled(" + b + ") = 0, 'Division by zero', " + quotient
                + ") ELSE " + quotient + " END";
    }

    /** The quotient of two operands, each a column, a literal or a lambda's field (they are repeated). */
    static String of(String a, String b) {
        String ta = "typeof(" + a + ")";
        String tb = "typeof(" + b + ")";
        String key = "CASE WHEN " + ta + " = 'DOUBLE' OR " + tb + " = 'DOUBLE' THEN 'f' "
                + "WHEN " + ta + " = 'FLOAT' OR " + tb + " = 'FLOAT' THEN 'r' "
                + "WHEN " + ta + " LIKE 'DECIMAL%' OR " + tb + " LIKE 'DECIMAL%' THEN 'd' ELSE 'i' END";
        // Each branch also tests the key, and fails only through trino.fail, which fails only when its condition holds:
        // with constant operands DuckDB folds every part of every field before it picks one, and a branch not taken must
        // not fail (5 / 0 fails as an integer division, 5e0 / 0 is Infinity).
        return "struct_extract({"
                + "'i': " + branch(key, "i", "CASE WHEN " + b + " = 0 THEN trino.fail_like(" + b + " = 0, 'Division by zero', " + a + " / nullif(" + b + ", 0)) ELSE " + a + " / nullif(" + b
                        + ", 0) END") + ", "
                + "'f': " + branch(key, "f", "trino.divide_double(CAST(" + a + " AS DOUBLE), CAST(" + b + " AS DOUBLE))") + ", "
                + "'r': " + branch(key, "r", "CAST(trino.divide_double(CAST(" + a + " AS DOUBLE), CAST(" + b + " AS DOUBLE)) AS FLOAT)") + ", "
                + "'d': " + branch(key, "d", decimal(a, b)) + "}, " + key + ")";
    }

    private static String branch(String key, String name, String value) {
        return "CASE WHEN " + key + " = '" + name + "' THEN " + value + " END";
    }
}
