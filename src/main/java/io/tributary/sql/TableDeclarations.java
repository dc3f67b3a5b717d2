package io.tributary.sql;

import static java.util.Objects.requireNonNull;

import io.tributary.auth.Authorizer;
import io.tributary.auth.Permission;
import io.tributary.auth.Principal;
import io.tributary.sql.catalog.Catalog;
import io.tributary.sql.catalog.DatabaseInfo;
import io.tributary.sql.catalog.StorageDescriptor;
import io.tributary.sql.catalog.TableDefinition;
import io.tributary.sql.catalog.TableName;
import io.tributary.sql.parser.SqlStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies declared tables idempotently: creates what is missing (and its database), replaces a
 * table whose DDL changed, links tables to delivery streams, and with prune drops declared tables
 * no longer declared. Tables created with SQL are never touched by pruning.
 *
 * <p>Thread-safe when calls are serialised by the caller (the pipeline applier does).
 */
public final class TableDeclarations {
    /** One table's outcome: CREATED, UPDATED, UNCHANGED or DELETED. */
    public record Change(TableName table, String action, String detail) {}

    private final Catalog catalog;
    private final StatementRunner runner;
    private final Authorizer authorizer;
    private final Clock clock;

    public TableDeclarations(SqlService sql, Authorizer authorizer, Clock clock) {
        this.catalog = requireNonNull(sql, "sql is null").catalog();
        this.runner = sql.runner();
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public List<Change> apply(List<TableDeclaration> declarations, boolean prune, Principal principal) {
        List<Change> changes = new ArrayList<>();
        for (TableDeclaration d : declarations) {
            SqlStatement.CreateTable create = d.create();
            TableName name = d.name();
            TableDefinition wanted = new TableDefinition(name, create.columns(), create.partitionKeys(),
                    runner.location(create.location(), "table location").asPrefix(),
                    StorageDescriptor.resolve(create.serde(), create.storedAs(), create.inputFormat(), create.outputFormat(), create.serdeProperties()),
                    create.tableProperties(), create.comment(), clock.instant());
            Optional<Catalog.Relation> existing = catalog.relation(name);
            String action;
            if (existing.isPresent() && existing.get() instanceof Catalog.TableRelation t && same(t.table(), wanted)) {
                action = "UNCHANGED";
            } else {
                authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "table", name.toString()));
                if (catalog.database(name.database()).isEmpty()) {
                    catalog.createDatabase(new DatabaseInfo(name.database(), Optional.empty(), Optional.empty(), Map.of(), clock.instant()), true);
                }
                if (existing.isPresent()) {
                    if (existing.get() instanceof Catalog.ViewRelation) {
                        catalog.dropView(name, true);
                    }
                    catalog.replaceTable(wanted, true);
                    action = "UPDATED";
                } else {
                    catalog.createTable(wanted, false, true);
                    action = "CREATED";
                }
            }
            if (d.deliveryStream().isPresent() && !catalog.linkedTables(d.deliveryStream().get()).contains(name)) {
                catalog.link(d.deliveryStream().get(), name);
                if (action.equals("UNCHANGED")) {
                    action = "UPDATED";
                }
            }
            changes.add(new Change(name, action, wanted.location() + d.deliveryStream().map(s -> ", partitions from " + s).orElse("")));
        }
        if (prune) {
            Set<TableName> declared = declarations.stream().map(TableDeclaration::name).collect(Collectors.toSet());
            for (TableName name : catalog.declaredTables()) {
                if (!declared.contains(name)) {
                    authorizer.check(principal, Permission.of(Permission.Action.MANAGE, "table", name.toString()));
                    catalog.dropTable(name, true);
                    changes.add(new Change(name, "DELETED", "not declared (its data stays in the lake)"));
                }
            }
        }
        return changes;
    }

    private static boolean same(TableDefinition a, TableDefinition b) {
        return a.columns().equals(b.columns()) && a.partitionKeys().equals(b.partitionKeys()) && a.location().equals(b.location())
                && a.storage().equals(b.storage()) && a.properties().equals(b.properties()) && a.comment().equals(b.comment());
    }
}
