package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import io.tributary.sql.catalog.TableName;
import io.tributary.sql.parser.SqlStatement;
import io.tributary.sql.parser.StatementParser;
import java.util.Optional;

/**
 * A table declared under {@code pipeline.tables}: its {@code CREATE EXTERNAL TABLE} statement, with
 * the database named, and optionally the delivery stream whose partition folders it registers.
 */
public record TableDeclaration(String ddl, Optional<String> deliveryStream) {
    public TableDeclaration {
        requireNonNull(ddl, "ddl is null");
        requireNonNull(deliveryStream, "deliveryStream is null");
        statement(ddl);
    }

    public TableName name() {
        SqlStatement.CreateTable create = statement(ddl);
        return create.name().resolve(create.name().database().orElseThrow());
    }

    SqlStatement.CreateTable create() {
        return statement(ddl);
    }

    private static SqlStatement.CreateTable statement(String ddl) {
        SqlStatement statement = StatementParser.parse(ddl);
        if (!(statement instanceof SqlStatement.CreateTable create)) {
            throw TributaryException.invalidArgument("a pipeline table is declared with CREATE EXTERNAL TABLE database.table (...), not %s",
                    statement.substatementType());
        }
        if (create.name().database().isEmpty()) {
            throw TributaryException.invalidArgument("pipeline table '%s' must name its database (database.table)", create.name());
        }
        return create;
    }
}
