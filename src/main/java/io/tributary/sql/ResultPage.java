package io.tributary.sql;

import java.util.List;
import java.util.Optional;

/**
 * A page of a query's result rows. {@code nextToken} continues the listing; values are rendered
 * text, {@code null} for SQL NULL.
 */
public record ResultPage(List<ResultColumn> columns, List<String[]> rows, Optional<String> nextToken) {
    public ResultPage {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
