package io.tributary.sql;

import io.tributary.sql.catalog.TableName;
import java.util.List;

/** What running a query cost: data scanned (Athena's billing measure), files, rows and tables read. */
public record QueryStats(long bytesScanned, int filesScanned, long rows, List<TableName> tablesRead) {
    public QueryStats {
        tablesRead = List.copyOf(tablesRead);
    }

    public static QueryStats none() {
        return new QueryStats(0, 0, 0, List.of());
    }
}
