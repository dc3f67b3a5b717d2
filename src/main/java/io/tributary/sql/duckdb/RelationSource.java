package io.tributary.sql.duckdb;

import io.trino.sql.tree.Expression;
import io.trino.sql.tree.Query;
import io.tributary.sql.catalog.TableName;
import java.util.List;

/** Resolves the tables and views a query names, for {@link TrinoToDuckDb}. */
interface RelationSource {
    /**
     * @param alias the name the query knows the relation by (its alias, or the table name)
     * @param conjuncts the WHERE conjuncts of the query block reading it, for partition pruning
     * @param soleRelation whether it is the only relation of its query block, so unqualified column
     *     names in the conjuncts can only mean its columns
     */
    Resolved resolve(TableName name, String alias, List<Expression> conjuncts, boolean soleRelation);

    sealed interface Resolved permits Scan, View {}

    /** A DuckDB subquery reading the table's files, built by Tributary (never from user text). */
    record Scan(String sql) implements Resolved {}

    /** A view's query, translated in place in its own database. */
    record View(Query query, String database) implements Resolved {}
}
