package io.tributary.sql.duckdb;

import static java.util.Objects.requireNonNull;

import io.trino.sql.tree.AliasedRelation;
import io.trino.sql.tree.AllColumns;
import io.trino.sql.tree.AllRows;
import io.trino.sql.tree.ArithmeticBinaryExpression;
import io.trino.sql.tree.ArithmeticUnaryExpression;
import io.trino.sql.tree.Array;
import io.trino.sql.tree.AtTimeZone;
import io.trino.sql.tree.BetweenPredicate;
import io.trino.sql.tree.BinaryLiteral;
import io.trino.sql.tree.BooleanLiteral;
import io.trino.sql.tree.Cast;
import io.trino.sql.tree.CoalesceExpression;
import io.trino.sql.tree.ComparisonExpression;
import io.trino.sql.tree.CurrentDate;
import io.trino.sql.tree.CurrentTimestamp;
import io.trino.sql.tree.DataType;
import io.trino.sql.tree.DataTypeParameter;
import io.trino.sql.tree.DateTimeDataType;
import io.trino.sql.tree.DecimalLiteral;
import io.trino.sql.tree.DereferenceExpression;
import io.trino.sql.tree.DoubleLiteral;
import io.trino.sql.tree.Except;
import io.trino.sql.tree.ExistsPredicate;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.Extract;
import io.trino.sql.tree.FetchFirst;
import io.trino.sql.tree.Format;
import io.trino.sql.tree.FrameBound;
import io.trino.sql.tree.FunctionCall;
import io.trino.sql.tree.GenericDataType;
import io.trino.sql.tree.GenericLiteral;
import io.trino.sql.tree.GroupBy;
import io.trino.sql.tree.GroupingElement;
import io.trino.sql.tree.GroupingOperation;
import io.trino.sql.tree.GroupingSets;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.IfExpression;
import io.trino.sql.tree.InListExpression;
import io.trino.sql.tree.InPredicate;
import io.trino.sql.tree.Intersect;
import io.trino.sql.tree.IntervalLiteral;
import io.trino.sql.tree.IsNotNullPredicate;
import io.trino.sql.tree.IsNullPredicate;
import io.trino.sql.tree.Join;
import io.trino.sql.tree.LambdaExpression;
import io.trino.sql.tree.JoinCriteria;
import io.trino.sql.tree.JoinOn;
import io.trino.sql.tree.JoinUsing;
import io.trino.sql.tree.LikePredicate;
import io.trino.sql.tree.Literal;
import io.trino.sql.tree.Limit;
import io.trino.sql.tree.LocalTimestamp;
import io.trino.sql.tree.LogicalExpression;
import io.trino.sql.tree.LongLiteral;
import io.trino.sql.tree.NaturalJoin;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.NotExpression;
import io.trino.sql.tree.NullIfExpression;
import io.trino.sql.tree.NullLiteral;
import io.trino.sql.tree.NumericParameter;
import io.trino.sql.tree.Offset;
import io.trino.sql.tree.OrderBy;
import io.trino.sql.tree.QualifiedName;
import io.trino.sql.tree.QuantifiedComparisonExpression;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.QueryBody;
import io.trino.sql.tree.QuerySpecification;
import io.trino.sql.tree.Relation;
import io.trino.sql.tree.Row;
import io.trino.sql.tree.RowDataType;
import io.trino.sql.tree.SearchedCaseExpression;
import io.trino.sql.tree.SelectItem;
import io.trino.sql.tree.SetOperation;
import io.trino.sql.tree.SimpleCaseExpression;
import io.trino.sql.tree.SimpleGroupBy;
import io.trino.sql.tree.SingleColumn;
import io.trino.sql.tree.SortItem;
import io.trino.sql.tree.StringLiteral;
import io.trino.sql.tree.SubqueryExpression;
import io.trino.sql.tree.SubscriptExpression;
import io.trino.sql.tree.Table;
import io.trino.sql.tree.TableSubquery;
import io.trino.sql.tree.Trim;
import io.trino.sql.tree.TryExpression;
import io.trino.sql.tree.TypeParameter;
import io.trino.sql.tree.Union;
import io.trino.sql.tree.Unnest;
import io.trino.sql.tree.Values;
import io.trino.sql.tree.WhenClause;
import io.trino.sql.tree.WindowDefinition;
import io.trino.sql.tree.WindowFrame;
import io.trino.sql.tree.WindowReference;
import io.trino.sql.tree.WindowSpecification;
import io.trino.sql.tree.WithQuery;
import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.sql.catalog.TableName;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Translates a query in Trino's dialect (as Athena runs it) into DuckDB SQL with Trino's
 * semantics. Every construct is translated by a rule written here; a construct without one is
 * refused naming it. User text reaches the output only as escaped string literals and quoted
 * identifiers, so the output is DuckDB SQL that Tributary wrote.
 *
 * <p>Semantics kept: integer division truncates (the DuckDB instance runs with
 * {@code integer_division}), {@code concat} and {@code split_part} are NULL where Trino's are,
 * {@code regexp_replace} replaces every match, date patterns are converted, unaliased result
 * columns are named {@code _col0}, {@code _col1}, ... as Trino names them.
 *
 * <p>Not thread-safe: one instance per translation.
 */
final class TrinoToDuckDb {
    private static final int MAX_VIEW_DEPTH = 16;
    /** The value window functions that take IGNORE NULLS or RESPECT NULLS, in Trino as in DuckDB. */
    private static final List<String> NULL_TREATMENT = List.of("lag", "lead", "first_value", "last_value", "nth_value");

    private final RelationSource source;
    private final Deque<Set<String>> cteScopes = new ArrayDeque<>();
    private final Deque<String> databases = new ArrayDeque<>();
    private int viewDepth;
    /** Calendar grouping keys of the query specification being translated (DuckDB text -> text after grouping); see {@link CalendarGrouping}. */
    private Map<String, String> groupedKeys = Map.of();
    private boolean inAggregate;

    private final TypeProbe probe;
    /** The relations left of an UNNEST being translated (it may refer to their columns), for probing its types. */
    private String lateral;

    private TrinoToDuckDb(RelationSource source, String database, TypeProbe probe) {
        this.source = requireNonNull(source, "source is null");
        this.probe = requireNonNull(probe, "probe is null");
        databases.push(requireNonNull(database, "database is null"));
    }

    /** Translates a top-level query, naming its result columns as Trino does. */
    static String translate(Query query, RelationSource source, String database) {
        return translate(query, source, database, TypeProbe.NONE);
    }

    /** Translates a top-level query; {@code probe} tells the types of what UNNEST expands. */
    static String translate(Query query, RelationSource source, String database, TypeProbe probe) {
        return new TrinoToDuckDb(source, database, probe).query(query, true);
    }

    /** Translates one expression that refers to no table (for tests and constant folding). */
    static String expression(Expression expression) {
        return new TrinoToDuckDb((n, a, c, s) -> {
            throw new IllegalStateException("no relations");
        }, "default", TypeProbe.NONE).expr(expression);
    }

    // ---- queries

    private String query(Query q, boolean top) {
        StringBuilder sb = new StringBuilder();
        if (!q.getFunctions().isEmpty()) {
            throw unsupported(q, "inline function definitions (WITH FUNCTION)");
        }
        Set<String> scope = new HashSet<>();
        cteScopes.push(scope);
        try {
            if (q.getWith().isPresent()) {
                if (q.getWith().get().isRecursive()) {
                    throw unsupported(q, "WITH RECURSIVE");
                }
                sb.append("WITH ");
                List<String> parts = new ArrayList<>();
                for (WithQuery w : q.getWith().get().getQueries()) {
                    String name = w.getName().getValue().toLowerCase(java.util.Locale.ROOT);
                    String columns = w.getColumnNames().map(cs -> "(" + cs.stream().map(i -> identifier(i.getValue().toLowerCase(java.util.Locale.ROOT)))
                            .collect(Collectors.joining(", ")) + ")").orElse("");
                    String body = query(w.getQuery(), false);
                    scope.add(name);
                    parts.add(identifier(name) + columns + " AS (" + body + ")");
                }
                sb.append(String.join(", ", parts)).append(' ');
            }
            sb.append(queryBody(q.getQueryBody(), top));
            q.getOrderBy().ifPresent(o -> sb.append(' ').append(orderBy(o)));
            q.getOffset().ifPresent(o -> sb.append(" OFFSET ").append(expr(((Offset) o).getRowCount())));
            q.getLimit().ifPresent(l -> sb.append(limit(l)));
            return sb.toString();
        } finally {
            cteScopes.pop();
        }
    }

    private String limit(Node limit) {
        if (limit instanceof Limit l) {
            return l.getRowCount() instanceof AllRows ? "" : " LIMIT " + expr(l.getRowCount());
        }
        if (limit instanceof FetchFirst f) {
            if (f.isWithTies()) {
                throw unsupported(f, "FETCH FIRST ... WITH TIES");
            }
            return " LIMIT " + f.getRowCount().map(this::expr).orElse("1");
        }
        throw unsupported(limit, describe(limit));
    }

    private String queryBody(QueryBody body, boolean top) {
        if (body instanceof QuerySpecification spec) {
            return querySpecification(spec, top);
        }
        if (body instanceof TableSubquery sub) {
            return "(" + query(sub.getQuery(), top) + ")";
        }
        if (body instanceof SetOperation set) {
            String op = switch (set) {
                case Union u -> "UNION";
                case Intersect i -> "INTERSECT";
                case Except e -> "EXCEPT";
                default -> throw unsupported(set, describe(set));
            };
            String all = set.isDistinct() ? " " : " ALL ";
            List<String> parts = new ArrayList<>();
            boolean first = true;
            for (Relation r : set.getRelations()) {
                parts.add("(" + relationAsQuery(r, top && first) + ")");
                first = false;
            }
            return String.join(" " + op + all, parts);
        }
        if (body instanceof Values values) {
            return values(values);
        }
        if (body instanceof Table table) {
            return "SELECT * FROM " + tableReference(table, table.getName().getSuffix(), List.of(), true);
        }
        throw unsupported(body, describe(body));
    }

    private String relationAsQuery(Relation r, boolean top) {
        if (r instanceof QueryBody b) {
            return queryBody(b, top);
        }
        throw unsupported(r, describe(r));
    }

    private String values(Values values) {
        List<String> rows = new ArrayList<>();
        for (Expression row : values.getRows()) {
            if (row instanceof Row r) {
                rows.add("(" + r.getItems().stream().map(this::expr).collect(Collectors.joining(", ")) + ")");
            } else {
                rows.add("(" + expr(row) + ")");
            }
        }
        return "VALUES " + String.join(", ", rows);
    }

    /** One query specification's named windows (WINDOW w AS (...)), in scope for its own select list and ORDER BY only. */
    private Map<String, ResolvedWindow> namedWindows = Map.of();

    /** A window after resolving the named window it extends: what OVER (...) says. */
    private record ResolvedWindow(List<Expression> partitionBy, Optional<OrderBy> orderBy, Optional<WindowFrame> frame) {}

    private String querySpecification(QuerySpecification spec, boolean top) {
        Map<String, ResolvedWindow> outerWindows = namedWindows;
        // Each definition may extend the ones before it, so they are resolved into the map in scope.
        Map<String, ResolvedWindow> defined = new LinkedHashMap<>();
        namedWindows = defined;
        try {
            for (WindowDefinition d : spec.getWindows()) {
                String name = d.getName().getValue().toLowerCase(Locale.ROOT);
                if (defined.putIfAbsent(name, resolve(d.getWindow())) != null) {
                    throw TributaryException.invalidArgument("%sWINDOW '%s' specified more than once", location(d), name);
                }
            }
            return selectOf(spec, top);
        } finally {
            namedWindows = outerWindows;
        }
    }

    /**
     * A window specification with the named window it names (OVER (w ORDER BY x)) filled in, by Trino's rules: the
     * reference brings its PARTITION BY, may add an ORDER BY if it has none, and must have no frame of its own.
     */
    private ResolvedWindow resolve(WindowSpecification w) {
        if (w.getExistingWindowName().isEmpty()) {
            return new ResolvedWindow(w.getPartitionBy(), w.getOrderBy(), w.getFrame());
        }
        ResolvedWindow base = named(w, w.getExistingWindowName().get().getValue());
        if (!w.getPartitionBy().isEmpty()) {
            throw TributaryException.invalidArgument("%sWINDOW specification with named WINDOW reference cannot specify PARTITION BY", location(w));
        }
        if (w.getOrderBy().isPresent() && base.orderBy().isPresent()) {
            throw TributaryException.invalidArgument("%sCannot specify ORDER BY if referenced named WINDOW specifies ORDER BY", location(w));
        }
        if (base.frame().isPresent()) {
            throw TributaryException.invalidArgument("%sCannot reference named WINDOW containing frame specification", location(w));
        }
        return new ResolvedWindow(base.partitionBy(), w.getOrderBy().or(base::orderBy), w.getFrame());
    }

    private ResolvedWindow named(Node at, String name) {
        ResolvedWindow w = namedWindows.get(name.toLowerCase(Locale.ROOT));
        if (w == null) {
            throw TributaryException.invalidArgument("%sCannot resolve WINDOW name %s", location(at), name);
        }
        return w;
    }

    private String selectOf(QuerySpecification spec, boolean top) {
        Optional<CalendarGrouping> calendar = CalendarGrouping.of(spec, this::plain);
        Map<String, String> outerKeys = groupedKeys;
        boolean outerInAggregate = inAggregate;
        Map<String, String> keys = calendar.map(CalendarGrouping::replacements).orElse(Map.of());
        try {
            StringBuilder sb = new StringBuilder("SELECT ");
            if (spec.getSelect().isDistinct()) {
                sb.append("DISTINCT ");
            }
            groupedKeys = keys;
            inAggregate = false;
            List<String> items = new ArrayList<>();
            int position = 0;
            for (SelectItem item : spec.getSelect().getSelectItems()) {
                items.add(selectItem(item, top, position));
                position++;
            }
            sb.append(String.join(", ", items));
            // FROM, WHERE and GROUP BY are evaluated before grouping: keys stay as written there.
            groupedKeys = Map.of();
            if (spec.getFrom().isPresent()) {
                List<Expression> conjuncts = spec.getWhere().map(TrinoToDuckDb::conjuncts).orElse(List.of());
                boolean sole = !(spec.getFrom().get() instanceof Join);
                sb.append(" FROM ").append(relation(spec.getFrom().get(), conjuncts, sole));
            }
            spec.getWhere().ifPresent(w -> sb.append(" WHERE ").append(expr(w)));
            if (calendar.isPresent()) {
                sb.append(" GROUP BY ").append(String.join(", ", calendar.get().groupBy()));
            } else {
                spec.getGroupBy().ifPresent(g -> sb.append(' ').append(groupBy(g)));
            }
            groupedKeys = keys;
            spec.getHaving().ifPresent(h -> sb.append(" HAVING ").append(expr(h)));
            spec.getOrderBy().ifPresent(o -> sb.append(' ').append(orderBy(o)));
            groupedKeys = Map.of();
            spec.getOffset().ifPresent(o -> sb.append(" OFFSET ").append(expr(((Offset) o).getRowCount())));
            spec.getLimit().ifPresent(l -> sb.append(limit(l)));
            return sb.toString();
        } finally {
            groupedKeys = outerKeys;
            inAggregate = outerInAggregate;
        }
    }

    /** An expression's translation with no grouping keys replaced (for {@link CalendarGrouping}). */
    private String plain(Expression e) {
        Map<String, String> saved = groupedKeys;
        boolean savedInAggregate = inAggregate;
        groupedKeys = Map.of();
        inAggregate = false;
        try {
            return expr(e);
        } finally {
            groupedKeys = saved;
            inAggregate = savedInAggregate;
        }
    }

    private String selectItem(SelectItem item, boolean top, int position) {
        if (item instanceof AllColumns all) {
            if (!all.getAliases().isEmpty()) {
                throw unsupported(all, "column aliases on *");
            }
            return all.getTarget().map(t -> expr(t) + ".*").orElse("*");
        }
        SingleColumn column = (SingleColumn) item;
        String text = expr(column.getExpression());
        if (column.getAlias().isPresent()) {
            return text + " AS " + identifier(column.getAlias().get().getValue().toLowerCase(java.util.Locale.ROOT));
        }
        if (!top) {
            return text;
        }
        // Trino names a column by its identifier, or _colN for any other expression.
        Expression e = column.getExpression();
        if (e instanceof Identifier id) {
            return text + " AS " + identifier(id.getValue().toLowerCase(java.util.Locale.ROOT));
        }
        if (e instanceof DereferenceExpression d && d.getField().isPresent()) {
            return text + " AS " + identifier(d.getField().get().getValue().toLowerCase(java.util.Locale.ROOT));
        }
        return text + " AS " + identifier("_col" + position);
    }

    private String groupBy(GroupBy groupBy) {
        List<String> parts = new ArrayList<>();
        for (GroupingElement element : groupBy.getGroupingElements()) {
            if (element instanceof SimpleGroupBy simple) {
                simple.getExpressions().forEach(e -> parts.add(expr(e)));
            } else if (element instanceof GroupingSets sets) {
                String inner = sets.getSets().stream().map(set -> "(" + set.stream().map(this::expr).collect(Collectors.joining(", ")) + ")")
                        .collect(Collectors.joining(", "));
                parts.add(switch (sets.getType()) {
                    case EXPLICIT -> "GROUPING SETS (" + inner + ")";
                    case ROLLUP -> "ROLLUP (" + sets.getExpressions().stream().map(this::expr).collect(Collectors.joining(", ")) + ")";
                    case CUBE -> "CUBE (" + sets.getExpressions().stream().map(this::expr).collect(Collectors.joining(", ")) + ")";
                });
            } else {
                throw unsupported(element, describe(element));
            }
        }
        return "GROUP BY " + (groupBy.isDistinct() ? "DISTINCT " : "") + String.join(", ", parts);
    }

    private String orderBy(OrderBy orderBy) {
        return "ORDER BY " + orderBy.getSortItems().stream().map(this::sortItem).collect(Collectors.joining(", "));
    }

    private String sortItem(SortItem item) {
        // Trino sorts NULLs last in both directions unless told otherwise.
        String nulls = switch (item.getNullOrdering()) {
            case FIRST -> " NULLS FIRST";
            case LAST, UNDEFINED -> " NULLS LAST";
        };
        return expr(item.getSortKey()) + (item.getOrdering() == SortItem.Ordering.DESCENDING ? " DESC" : " ASC") + nulls;
    }

    // ---- relations

    private String relation(Relation relation, List<Expression> conjuncts, boolean sole) {
        if (relation instanceof Table table) {
            return tableReference(table, table.getName().getSuffix(), conjuncts, sole);
        }
        if (relation instanceof AliasedRelation aliased) {
            String alias = aliased.getAlias().getValue().toLowerCase(java.util.Locale.ROOT);
            // Trino's parser leaves the column list null (not empty) for a plain alias such as "FROM t a".
            String columns = aliased.getColumnNames() == null || aliased.getColumnNames().isEmpty() ? "" : "(" + aliased.getColumnNames().stream()
                    .map(i -> identifier(i.getValue().toLowerCase(java.util.Locale.ROOT))).collect(Collectors.joining(", ")) + ")";
            if (aliased.getRelation() instanceof Table table) {
                return tableReference(table, alias, conjuncts, sole) + columns;
            }
            if (aliased.getRelation() instanceof Unnest unnest) {
                return unnest(unnest) + " AS " + identifier(alias) + columns;
            }
            return relation(aliased.getRelation(), List.of(), false) + " AS " + identifier(alias) + columns;
        }
        if (relation instanceof TableSubquery sub) {
            return "(" + query(sub.getQuery(), false) + ")";
        }
        if (relation instanceof Join join) {
            String left = relation(join.getLeft(), conjuncts, false);
            String outerLateral = lateral;
            lateral = join.getRight() instanceof Unnest || join.getRight() instanceof AliasedRelation a && a.getRelation() instanceof Unnest ? left : null;
            String right;
            try {
                right = relation(join.getRight(), conjuncts, false);
            } finally {
                lateral = outerLateral;
            }
            return switch (join.getType()) {
                case CROSS -> left + " CROSS JOIN " + right;
                case IMPLICIT -> left + ", " + right;
                case INNER -> left + (isNatural(join) ? " NATURAL JOIN " : " JOIN ") + right + criteria(join);
                case LEFT -> left + (isNatural(join) ? " NATURAL LEFT JOIN " : " LEFT JOIN ") + right + criteria(join);
                case RIGHT -> left + (isNatural(join) ? " NATURAL RIGHT JOIN " : " RIGHT JOIN ") + right + criteria(join);
                case FULL -> left + (isNatural(join) ? " NATURAL FULL JOIN " : " FULL JOIN ") + right + criteria(join);
            };
        }
        if (relation instanceof Unnest unnest) {
            return unnest(unnest) + " AS " + identifier("_unnest");
        }
        if (relation instanceof QueryBody body) {
            return "(" + queryBody(body, false) + ")";
        }
        throw unsupported(relation, describe(relation));
    }

    private static boolean isNatural(Join join) {
        return join.getCriteria().filter(c -> c instanceof NaturalJoin).isPresent();
    }

    private String criteria(Join join) {
        Optional<JoinCriteria> criteria = join.getCriteria();
        if (criteria.isEmpty() || criteria.get() instanceof NaturalJoin) {
            return "";
        }
        if (criteria.get() instanceof JoinOn on) {
            return " ON " + expr(on.getExpression());
        }
        if (criteria.get() instanceof JoinUsing using) {
            return " USING (" + using.getColumns().stream().map(i -> identifier(i.getValue().toLowerCase(java.util.Locale.ROOT))).collect(Collectors.joining(", ")) + ")";
        }
        throw unsupported(join, "this join criteria");
    }

    /**
     * UNNEST as Trino expands it: an array into a column, an array of rows into a column per field, a map into a key and a
     * value column, the arrays side by side (the shorter ones padded with NULLs), and WITH ORDINALITY numbering the rows from
     * 1. Which of these applies depends on the type, which DuckDB is asked for (the probe); without an answer, a value is
     * an array of single values.
     */
    private String unnest(Unnest unnest) {
        String left = lateral;
        lateral = null;
        List<String> args = unnest.getExpressions().stream().map(this::expr).toList();
        List<String> types = probe.columnTypes("SELECT " + String.join(", ", args) + (left == null ? "" : " FROM " + left)).orElse(List.of());
        List<String> inner = new ArrayList<>();
        List<String> outer = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String t = i < types.size() ? types.get(i).toUpperCase(Locale.ROOT) : "";
            boolean map = t.startsWith("MAP(");
            boolean rows = (t.startsWith("STRUCT(") || t.startsWith("TUPLE(")) && t.endsWith("[]")
                    && !t.startsWith(TrinoMacros.TZ_TYPE_NAME.toUpperCase(Locale.ROOT));
            String u = identifier("unnest" + i);
            inner.add("unnest(" + (map ? "map_entries(" + args.get(i) + ")" : args.get(i)) + ") AS " + u);
            outer.add(map || rows ? "unnest(" + u + ")" : u);
        }
        if (unnest.isWithOrdinality()) {
            String longest = args.stream().map(a -> "cardinality(" + a + ")").collect(Collectors.joining(", "));
            inner.add("unnest(range(1, CAST(greatest(" + longest + ") AS BIGINT) + 1)) AS " + identifier("ordinality"));
            outer.add(identifier("ordinality"));
        }
        return "(SELECT " + String.join(", ", outer) + " FROM (SELECT " + String.join(", ", inner) + "))";
    }

    private String tableReference(Table table, String alias, List<Expression> conjuncts, boolean sole) {
        if (table.getQueryPeriod().isPresent()) {
            throw unsupported(table, "FOR TIMESTAMP/VERSION AS OF (time travel)");
        }
        List<String> parts = table.getName().getParts();
        if (parts.size() == 1 && inCte(parts.get(0))) {
            String name = parts.get(0);
            return identifier(name) + (alias.equals(name) ? "" : " AS " + identifier(alias));
        }
        TableName name = tableName(table.getName(), table);
        RelationSource.Resolved resolved = source.resolve(name, alias, conjuncts, sole);
        return switch (resolved) {
            case RelationSource.Scan scan -> "(" + scan.sql() + ") AS " + identifier(alias);
            case RelationSource.View view -> {
                if (++viewDepth > MAX_VIEW_DEPTH) {
                    throw TributaryException.invalidArgument("view %s nests more than %d views deep (is it recursive?)", name, MAX_VIEW_DEPTH);
                }
                databases.push(view.database());
                Deque<Set<String>> saved = new ArrayDeque<>(cteScopes);
                cteScopes.clear();
                try {
                    yield "(" + query(view.query(), false) + ") AS " + identifier(alias);
                } finally {
                    cteScopes.addAll(saved);
                    databases.pop();
                    viewDepth--;
                }
            }
        };
    }

    private boolean inCte(String name) {
        return cteScopes.stream().anyMatch(s -> s.contains(name));
    }

    TableName tableName(QualifiedName name, Node node) {
        List<String> parts = name.getParts();
        return switch (parts.size()) {
            case 1 -> new TableName(databases.peek(), parts.get(0));
            case 2 -> new TableName(parts.get(0), parts.get(1));
            case 3 -> {
                if (!parts.get(0).equals("awsdatacatalog")) {
                    throw at(node, "catalog '" + parts.get(0) + "' does not exist; the only catalog is awsdatacatalog");
                }
                yield new TableName(parts.get(1), parts.get(2));
            }
            default -> throw at(node, "'" + name + "' is not a table name");
        };
    }

    // ---- expressions

    String expr(Expression e) {
        return switch (e) {
            case Identifier id -> identifier(id.getValue().toLowerCase(java.util.Locale.ROOT));
            case DereferenceExpression d -> dereference(d);
            case LongLiteral l -> Long.toString(l.getParsedValue());
            case DoubleLiteral d -> "CAST(" + string(Double.toString(d.getValue())) + " AS DOUBLE)";
            case DecimalLiteral d -> decimal(d.getValue());
            case StringLiteral s -> string(s.getValue());
            case BooleanLiteral b -> b.getValue() ? "TRUE" : "FALSE";
            case NullLiteral n -> "NULL";
            case BinaryLiteral b -> "from_hex(" + string(b.toHexString()) + ")";
            case GenericLiteral g -> genericLiteral(g);
            case IntervalLiteral i -> Temporal.interval(i);
            case ArithmeticBinaryExpression a -> arithmetic(a);
            case ArithmeticUnaryExpression u -> "(" + (u.getSign() == ArithmeticUnaryExpression.Sign.MINUS ? "-" : "+") + expr(u.getValue()) + ")";
            case ComparisonExpression c -> {
                boolean keyed = mayBeZoned(List.of(c.getLeft(), c.getRight()));
                yield "(" + key(c.getLeft(), keyed) + " " + comparison(c.getOperator()) + " " + key(c.getRight(), keyed) + ")";
            }
            case LogicalExpression l -> "(" + l.getTerms().stream().map(this::expr)
                    .collect(Collectors.joining(l.getOperator() == LogicalExpression.Operator.AND ? " AND " : " OR ")) + ")";
            case NotExpression n -> "(NOT " + expr(n.getValue()) + ")";
            case BetweenPredicate b -> {
                boolean keyed = mayBeZoned(List.of(b.getValue(), b.getMin(), b.getMax()));
                yield "(" + key(b.getValue(), keyed) + " BETWEEN " + key(b.getMin(), keyed) + " AND " + key(b.getMax(), keyed) + ")";
            }
            case InPredicate in -> {
                List<Expression> operands = new ArrayList<>(List.of(in.getValue()));
                if (in.getValueList() instanceof InListExpression list) {
                    operands.addAll(list.getValues());
                }
                boolean keyed = mayBeZoned(operands);
                yield "(" + key(in.getValue(), keyed) + " IN " + inList(in.getValueList(), keyed) + ")";
            }
            case IsNullPredicate n -> "(" + expr(n.getValue()) + " IS NULL)";
            case IsNotNullPredicate n -> "(" + expr(n.getValue()) + " IS NOT NULL)";
            case LikePredicate l -> "(" + expr(l.getValue()) + " LIKE " + expr(l.getPattern())
                    + l.getEscape().map(esc -> " ESCAPE " + expr(esc)).orElse("") + ")";
            case ExistsPredicate x -> "(EXISTS " + expr(x.getSubquery()) + ")";
            case SubqueryExpression s -> "(" + query(s.getQuery(), false) + ")";
            case QuantifiedComparisonExpression q -> "(" + expr(q.getValue()) + " " + comparison(q.getOperator()) + " "
                    + q.getQuantifier().name() + " " + expr(q.getSubquery()) + ")";
            case SearchedCaseExpression c -> "CASE" + c.getWhenClauses().stream().map(this::when).collect(Collectors.joining())
                    + c.getDefaultValue().map(d -> " ELSE " + expr(d)).orElse("") + " END";
            case SimpleCaseExpression c -> "CASE " + expr(c.getOperand()) + c.getWhenClauses().stream().map(this::when).collect(Collectors.joining())
                    + c.getDefaultValue().map(d -> " ELSE " + expr(d)).orElse("") + " END";
            case IfExpression i -> "CASE WHEN " + expr(i.getCondition()) + " THEN " + expr(i.getTrueValue())
                    + i.getFalseValue().map(f -> " ELSE " + expr(f)).orElse("") + " END";
            case CoalesceExpression c -> "coalesce(" + c.getOperands().stream().map(this::expr).collect(Collectors.joining(", ")) + ")";
            case NullIfExpression n -> "nullif(" + expr(n.getFirst()) + ", " + expr(n.getSecond()) + ")";
            case Cast c -> bound(List.of(c.getExpression()), List.of(expr(c.getExpression())),
                    a -> Casts.cast(a.get(0), c.getType(), type(c.getType()), c.isSafe()));
            case Extract x -> extract(x);
            case CurrentDate d -> "current_date";
            case CurrentTimestamp t -> DateTimeFunctions.currentTimestamp();
            case LocalTimestamp t -> "CAST(date_trunc('millisecond', current_timestamp) AS TIMESTAMP)";
            case AtTimeZone z -> {
                if (z.getTimeZone() instanceof IntervalLiteral) {
                    throw unsupported(z, "AT TIME ZONE with an interval (name the zone, e.g. '+02:00')");
                }
                String zone = DateTimeFunctions.zone(z.getTimeZone(), expr(z.getTimeZone()));
                yield bound(List.of(z.getValue()), List.of(expr(z.getValue())), a -> "trino.at_timezone(" + a.get(0) + ", " + zone + ")");
            }
            case Array a -> "[" + a.getValues().stream().map(this::expr).collect(Collectors.joining(", ")) + "]";
            case Row r -> "row(" + r.getItems().stream().map(this::expr).collect(Collectors.joining(", ")) + ")";
            // A string index can only be a map key (arrays and rows take integers): Trino fails on a missing key, as the map
            // macro does; other indexes go through the macro that checks array bounds.
            case SubscriptExpression s -> bound(List.of(s.getBase(), s.getIndex()), List.of(expr(s.getBase()), expr(s.getIndex())),
                    a -> (s.getIndex() instanceof StringLiteral ? "trino.map_subscript(" : "trino.subscript(") + a.get(0) + ", " + a.get(1) + ")");
            case Trim t -> switch (t.getSpecification()) {
                case BOTH -> "trim(";
                case LEADING -> "ltrim(";
                case TRAILING -> "rtrim(";
            } + expr(t.getTrimSource()) + t.getTrimCharacter().map(ch -> ", " + expr(ch)).orElse("") + ")";
            case GroupingOperation g -> "grouping(" + g.getGroupingColumns().stream().map(this::expr).collect(Collectors.joining(", ")) + ")";
            case FunctionCall f -> functionCall(f);
            case TryExpression t -> tryExpression(t);
            // format(...) has its own node in Trino's grammar.
            case Format f -> functionCall(new FunctionCall(f.getLocation(), QualifiedName.of("format"), Optional.empty(), Optional.empty(),
                    Optional.empty(), false, Optional.empty(), Optional.empty(), f.getArguments()));
            // A lambda as DuckDB writes it; only the functions taking one (transform, filter, reduce, ...) accept it.
            case LambdaExpression l -> "lambda " + l.getArguments().stream().map(p -> identifier(p.getName().getValue().toLowerCase(Locale.ROOT)))
                    .collect(Collectors.joining(", ")) + ": " + expr(l.getBody());
            default -> throw unsupported(e, describe(e));
        };
    }

    /**
     * try(x): NULL where x fails. DuckDB's TRY returns NULL for the errors of evaluating x, as Trino's returns NULL for
     * division by zero, invalid casts and function arguments and numbers out of range (the errors Tributary raises for
     * Trino's checks are casts that fail, which TRY catches). DuckDB allows no aggregate, window function or subquery
     * inside TRY.
     */
    private String tryExpression(TryExpression t) {
        Expression inner = t.getInnerExpression();
        if (aggregated(inner) || containsSubquery(inner)) {
            throw unsupported(t, "try(...) around an aggregate, a window function or a subquery (put try inside the aggregate, "
                    + "as in sum(try(...)))");
        }
        return "TRY(" + expr(inner) + ")";
    }

    private static boolean containsSubquery(Node node) {
        return node instanceof SubqueryExpression || node instanceof ExistsPredicate
                || node.getChildren().stream().anyMatch(TrinoToDuckDb::containsSubquery);
    }

    private String dereference(DereferenceExpression d) {
        if (d.getField().isEmpty()) {
            throw unsupported(d, "this field reference");
        }
        QualifiedName name = DereferenceExpression.getQualifiedName(d);
        if (name != null && name.getParts().size() >= 3) {
            // db.table.column (or awsdatacatalog.db.table.column): the table is known by its name.
            List<String> parts = name.getParts();
            return identifier(parts.get(parts.size() - 2)) + "." + identifier(parts.get(parts.size() - 1));
        }
        return expr(d.getBase()) + "." + identifier(d.getField().get().getValue().toLowerCase(java.util.Locale.ROOT));
    }

    private String when(WhenClause w) {
        return " WHEN " + expr(w.getOperand()) + " THEN " + expr(w.getResult());
    }

    private String inList(Expression list, boolean keyed) {
        if (list instanceof InListExpression in) {
            return "(" + in.getValues().stream().map(e -> key(e, keyed)).collect(Collectors.joining(", ")) + ")";
        }
        return expr(list);
    }

    /**
     * Whether the operands of a comparison may be timestamps with time zone: not when one is a literal other than a
     * timestamp (a number, a string, a boolean), which such a timestamp cannot be compared with.
     */
    private static boolean mayBeZoned(List<Expression> operands) {
        return operands.stream().noneMatch(e -> e instanceof Literal && !(e instanceof GenericLiteral g && g.getType().equalsIgnoreCase("timestamp")));
    }

    /**
     * An operand of a comparison. Timestamps with time zone compare by instant in Trino, whatever zone they are shown in;
     * {@code trino.key} gives the instant for those and is the value itself for every other type.
     */
    private String key(Expression e, boolean keyed) {
        return !keyed || e instanceof NullLiteral ? expr(e) : bound(List.of(e), List.of(expr(e)), a -> "trino.key(" + a.get(0) + ")");
    }

    /**
     * A call of macros on arguments. DuckDB chooses a macro's overload from its arguments' types before it binds
     * aggregates and window functions, so an argument holding one is first bound on its own: the arguments go into a
     * one-element list whose lambda makes the call, where their types are known. Literals stay in place (patterns and
     * units must be constants); other arguments are evaluated once either way.
     */
    private String bound(List<Expression> nodes, List<String> args, java.util.function.Function<List<String>, String> emit) {
        String direct = emit.apply(args);
        if (!direct.contains("trino.") || nodes.stream().noneMatch(this::aggregated)) {
            return direct;
        }
        String v = lambdaParameter(String.join(",", args));
        List<String> fields = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (i < nodes.size() && nodes.get(i) instanceof Literal) {
                inside.add(args.get(i));
            } else {
                fields.add(string("a" + i) + ": " + args.get(i));
                // struct_extract, not v.a: in HAVING, DuckDB reads v.a as a column of a table v.
                inside.add("struct_extract(" + v + ", " + string("a" + i) + ")");
            }
        }
        return "list_transform([{" + String.join(", ", fields) + "}], lambda " + v + ": " + emit.apply(inside) + ")[1]";
    }

    /** Whether e is evaluated after grouping: it holds an aggregate, a window function or a grouping key rewritten to one. */
    private boolean aggregated(Expression e) {
        if (e instanceof SubqueryExpression || e instanceof ExistsPredicate) {
            return false;
        }
        if (e instanceof GroupingOperation) {
            return true;
        }
        if (e instanceof FunctionCall f) {
            String name = f.getName().getSuffix().toLowerCase(Locale.ROOT);
            if (f.getWindow().isPresent() || Functions.find(name).map(fn -> fn.kind() != Functions.Kind.SCALAR).orElse(false)) {
                return true;
            }
            if (!groupedKeys.isEmpty() && !inAggregate && name.equals("date_trunc")) {
                return true;
            }
        }
        return e.getChildren().stream().anyMatch(c -> c instanceof Expression x && aggregated(x));
    }

    private String arithmetic(ArithmeticBinaryExpression a) {
        Expression left = a.getLeft();
        Expression right = a.getRight();
        ArithmeticBinaryExpression.Operator op = a.getOperator();
        // Date and time arithmetic with an interval literal keeps Trino's types: a date plus days is a date.
        if ((op == ArithmeticBinaryExpression.Operator.ADD || op == ArithmeticBinaryExpression.Operator.SUBTRACT) && right instanceof IntervalLiteral i) {
            String interval = op == ArithmeticBinaryExpression.Operator.SUBTRACT ? "(-" + expr(i) + ")" : expr(i);
            return bound(List.of(left), List.of(expr(left)), v -> Temporal.plusInterval(v.get(0), interval, i));
        }
        if (op == ArithmeticBinaryExpression.Operator.ADD && left instanceof IntervalLiteral i) {
            return bound(List.of(right), List.of(expr(right)), v -> Temporal.plusInterval(v.get(0), expr(i), i));
        }
        if (op == ArithmeticBinaryExpression.Operator.DIVIDE) {
            String l = expr(left);
            String r = expr(right);
            if (simple(left) && simple(right)) {
                return Division.of(l, r);
            }
            // The operands are repeated in each branch; a lambda's parameter holds them once.
            String v = lambdaParameter(l + "/" + r);
            return "list_transform([{'a': " + l + ", 'b': " + r + "}], lambda " + v + ": "
                    + Division.of("struct_extract(" + v + ", 'a')", "struct_extract(" + v + ", 'b')") + ")[1]";
        }
        return "(" + expr(left) + " " + switch (op) {
            case ADD -> "+";
            case SUBTRACT -> "-";
            case MULTIPLY -> "*";
            case DIVIDE -> throw new IllegalStateException();
            case MODULUS -> "%";
        } + " " + expr(right) + ")";
    }

    /** A column or a literal: cheap to repeat. */
    private static boolean simple(Expression e) {
        return e instanceof Identifier || e instanceof Literal || e instanceof DereferenceExpression d && simple(d.getBase());
    }

    /**
     * A lambda parameter named after what it holds: the same expression translates to the same text (GROUP BY matches
     * the select list by text), and a nested lambda shadowing one of the same name holds the same value.
     */
    private static String lambdaParameter(String holds) {
        return identifier("trino$" + Integer.toHexString(holds.hashCode()));
    }

    private String extract(Extract x) {
        return bound(List.of(x.getExpression()), List.of(expr(x.getExpression())), a -> switch (x.getField()) {
            case TIMEZONE_HOUR -> "(trino.offset_minutes(" + a.get(0) + ") // 60)";
            case TIMEZONE_MINUTE -> "(trino.offset_minutes(" + a.get(0) + ") % 60)";
            default -> "extract(" + extractField(x) + " FROM trino.wall(" + a.get(0) + "))";
        });
    }

    private static String comparison(ComparisonExpression.Operator op) {
        return switch (op) {
            case EQUAL -> "=";
            case NOT_EQUAL -> "<>";
            case LESS_THAN -> "<";
            case LESS_THAN_OR_EQUAL -> "<=";
            case GREATER_THAN -> ">";
            case GREATER_THAN_OR_EQUAL -> ">=";
            case IS_DISTINCT_FROM -> "IS DISTINCT FROM";
        };
    }

    private static String decimal(String value) {
        if (!value.matches("-?[0-9]*\\.?[0-9]*") || value.equals("-") || value.isEmpty()) {
            throw TributaryException.invalidArgument("'%s' is not a decimal literal", value);
        }
        boolean negative = value.startsWith("-");
        String digits = negative ? value.substring(1) : value;
        digits = digits.startsWith(".") ? "0" + digits : digits.endsWith(".") ? digits + "0" : digits;
        return negative ? "(-" + digits + ")" : digits;
    }

    private String genericLiteral(GenericLiteral g) {
        String type = g.getType().toLowerCase(Locale.ROOT);
        String value = g.getValue();
        return switch (type) {
            case "timestamp" -> Temporal.timestampLiteral(value, location(g));
            case "date" -> "CAST(" + string(value) + " AS DATE)";
            case "time" -> "CAST(" + string(value) + " AS TIME)";
            case "decimal" -> "CAST(" + string(value) + " AS DECIMAL(38," + Math.max(0, scale(value)) + "))";
            case "real" -> "CAST(" + string(value) + " AS FLOAT)";
            case "double" -> "CAST(" + string(value) + " AS DOUBLE)";
            case "bigint" -> "CAST(" + string(value) + " AS BIGINT)";
            case "integer", "int" -> "CAST(" + string(value) + " AS INTEGER)";
            case "smallint" -> "CAST(" + string(value) + " AS SMALLINT)";
            case "tinyint" -> "CAST(" + string(value) + " AS TINYINT)";
            case "varchar", "char" -> string(value);
            case "json" -> "json(" + string(value) + ")";
            case "boolean" -> "CAST(" + string(value) + " AS BOOLEAN)";
            default -> throw unsupported(g, "literals of type " + type);
        };
    }

    private static int scale(String value) {
        int dot = value.indexOf('.');
        return dot < 0 ? 0 : value.length() - dot - 1;
    }

    private static String extractField(Extract x) {
        return switch (x.getField()) {
            case YEAR -> "year";
            case QUARTER -> "quarter";
            case MONTH -> "month";
            case WEEK -> "week";
            case DAY, DAY_OF_MONTH -> "day";
            case DAY_OF_WEEK, DOW -> "isodow";
            case DAY_OF_YEAR, DOY -> "doy";
            case YEAR_OF_WEEK, YOW -> "isoyear";
            case HOUR -> "hour";
            case MINUTE -> "minute";
            case SECOND -> "second";
            case TIMEZONE_HOUR -> "timezone_hour";
            case TIMEZONE_MINUTE -> "timezone_minute";
        };
    }

    private String functionCall(FunctionCall f) {
        List<String> parts = f.getName().getParts();
        String name = parts.get(parts.size() - 1).toLowerCase(Locale.ROOT);
        if (parts.size() > 1) {
            throw unsupported(f, "qualified function names (" + f.getName() + ")");
        }
        Functions.Fn fn = Functions.find(name).orElseThrow(() -> new TributaryException(ErrorCode.UNSUPPORTED,
                location(f) + "function '" + name + "' is not supported by Tributary's SQL engine; see docs/sql.md for the functions it runs"));
        int n = f.getArguments().size();
        boolean star = name.equals("count") && n == 0;
        if (n < fn.minArgs() || n > fn.maxArgs()) {
            throw TributaryException.invalidArgument("%sfunction %s() takes %s argument(s), got %d", location(f), name,
                    fn.minArgs() == fn.maxArgs() ? Integer.toString(fn.minArgs()) : fn.minArgs() + " to " + fn.maxArgs(), n);
        }
        if (f.getProcessingMode().isPresent()) {
            throw unsupported(f, "RUNNING/FINAL");
        }
        boolean ignoreNulls = false;
        if (f.getNullTreatment().isPresent()) {
            if (!NULL_TREATMENT.contains(name)) {
                throw TributaryException.invalidArgument("%sIGNORE NULLS and RESPECT NULLS apply to %s, not to %s()", location(f),
                        String.join(", ", NULL_TREATMENT), name);
            }
            ignoreNulls = f.getNullTreatment().get() == FunctionCall.NullTreatment.IGNORE;
        }
        boolean outerInAggregate = inAggregate;
        // An aggregate's arguments are evaluated per row, before grouping: grouping keys stay as written there.
        inAggregate = outerInAggregate || fn.kind() == Functions.Kind.AGGREGATE && f.getWindow().isEmpty();
        List<String> args;
        String inner = null;
        String filter = "";
        try {
            args = f.getArguments().stream().map(this::expr).toList();
            if (name.equals("listagg")) {
                // LISTAGG(x, separator ON OVERFLOW ERROR) WITHIN GROUP (ORDER BY ...): the parser adds the overflow clause as arguments.
                if (f.getArguments().size() == 5 && f.getArguments().get(2) instanceof BooleanLiteral error && !error.getValue()) {
                    throw unsupported(f, "LISTAGG ... ON OVERFLOW TRUNCATE");
                }
                args = args.subList(0, Math.min(2, args.size()));
            }
            if (fn.kind() == Functions.Kind.AGGREGATE) {
                inner = (f.isDistinct() ? "DISTINCT " : "") + (star ? "*" : String.join(", ", args))
                        + f.getOrderBy().map(o -> " " + orderBy(o)).orElse("");
                filter = f.getFilter().map(w -> " FILTER (WHERE " + expr(w) + ")").orElse("");
            }
        } finally {
            inAggregate = outerInAggregate;
        }
        String over = "";
        if (f.getWindow().isPresent()) {
            over = " OVER (" + window(f.getWindow().get() instanceof WindowReference r ? named(r, r.getName().getValue())
                    : resolve((WindowSpecification) f.getWindow().get())) + ")";
        }
        Functions.Call call = new Functions.Call(name, args, f.getArguments());
        String text;
        switch (fn.kind()) {
            case SCALAR -> {
                if (f.isDistinct() || f.getFilter().isPresent() || f.getOrderBy().isPresent() || f.getWindow().isPresent()) {
                    throw TributaryException.invalidArgument("%s%s() is not an aggregate or window function", location(f), name);
                }
                String scalar = bound(f.getArguments(), args, a -> fn.emit().apply(new Functions.Call(name, a, f.getArguments())));
                return inAggregate ? scalar : groupedKeys.getOrDefault(scalar, scalar);
            }
            case AGGREGATE -> {
                String suffix = "(" + inner + ")" + filter + over;
                String duck = fn.emit().apply(call);
                // avg of a decimal is a decimal of the same scale (Trino's DecimalAverageAggregation), not a double.
                text = name.equals("avg") ? decimalAverage("sum" + suffix, "count" + suffix, duck + suffix) : duck + suffix;
            }
            case WINDOW -> {
                if (f.getWindow().isEmpty()) {
                    throw TributaryException.invalidArgument("%s%s() is a window function and needs OVER (...)", location(f), name);
                }
                // DuckDB takes the null treatment inside the parentheses, after the last argument.
                text = fn.emit().apply(call) + "(" + String.join(", ", args) + (ignoreNulls ? " IGNORE NULLS" : "") + ")" + over;
            }
            default -> throw new IllegalStateException();
        }
        return text;
    }

    private static String decimalAverage(String sum, String count, String avg) {
        String decimal = "typeof(" + sum + ") LIKE 'DECIMAL%'";
        return "struct_extract({'d': CASE WHEN " + decimal + " THEN " + Division.of(sum, "nullif(" + count + ", 0)") + " END, 'a': " + avg
                + "}, CASE WHEN " + decimal + " THEN 'd' ELSE 'a' END)";
    }

    private String window(ResolvedWindow w) {
        List<String> parts = new ArrayList<>();
        if (!w.partitionBy().isEmpty()) {
            parts.add("PARTITION BY " + w.partitionBy().stream().map(this::expr).collect(Collectors.joining(", ")));
        }
        w.orderBy().ifPresent(o -> parts.add(orderBy(o)));
        w.frame().ifPresent(frame -> parts.add(frame(frame)));
        return String.join(" ", parts);
    }

    private String frame(WindowFrame frame) {
        if (frame.getPattern().isPresent()) {
            throw unsupported(frame, "MATCH_RECOGNIZE patterns");
        }
        String type = frame.getType().name();
        return type + (frame.getEnd().isPresent() ? " BETWEEN " + bound(frame.getStart()) + " AND " + bound(frame.getEnd().get())
                : " " + bound(frame.getStart()));
    }

    private String bound(FrameBound b) {
        return switch (b.getType()) {
            case UNBOUNDED_PRECEDING -> "UNBOUNDED PRECEDING";
            case PRECEDING -> expr(b.getValue().orElseThrow()) + " PRECEDING";
            case CURRENT_ROW -> "CURRENT ROW";
            case FOLLOWING -> expr(b.getValue().orElseThrow()) + " FOLLOWING";
            case UNBOUNDED_FOLLOWING -> "UNBOUNDED FOLLOWING";
        };
    }

    // ---- types

    String type(DataType type) {
        if (type instanceof DateTimeDataType dt) {
            return switch (dt.getType()) {
                case TIMESTAMP -> dt.isWithTimeZone() ? TrinoMacros.TZ : "TIMESTAMP";
                case TIME -> "TIME";
            };
        }
        if (type instanceof RowDataType row) {
            List<String> fields = new ArrayList<>();
            int i = 0;
            for (RowDataType.Field field : row.getFields()) {
                // Field names are identifiers, kept in lower case as every name is; Athena names anonymous ones field0, field1, ...
                String name = field.getName().map(n -> n.getValue().toLowerCase(Locale.ROOT)).orElse("field" + i);
                fields.add(identifier(name) + " " + type(field.getType()));
                i++;
            }
            return "STRUCT(" + String.join(", ", fields) + ")";
        }
        if (type instanceof GenericDataType g) {
            String name = g.getName().getValue().toLowerCase(java.util.Locale.ROOT);
            List<DataTypeParameter> args = g.getArguments();
            return switch (name) {
                case "varchar", "char", "string" -> "VARCHAR";
                case "bigint" -> "BIGINT";
                case "integer", "int" -> "INTEGER";
                case "smallint" -> "SMALLINT";
                case "tinyint" -> "TINYINT";
                case "double" -> "DOUBLE";
                case "real", "float" -> "FLOAT";
                case "boolean" -> "BOOLEAN";
                case "date" -> "DATE";
                case "varbinary" -> "BLOB";
                case "json" -> "JSON";
                case "uuid" -> "UUID";
                case "decimal" -> {
                    String p = args.isEmpty() ? "38" : numeric(args.get(0));
                    String s = args.size() < 2 ? "0" : numeric(args.get(1));
                    yield "DECIMAL(" + p + "," + s + ")";
                }
                case "array" -> typeArgument(args, 0, g) + "[]";
                case "map" -> "MAP(" + typeArgument(args, 0, g) + ", " + typeArgument(args, 1, g) + ")";
                default -> throw unsupported(type, "type " + name);
            };
        }
        throw unsupported(type, "type " + type);
    }

    private String typeArgument(List<DataTypeParameter> args, int i, Node node) {
        if (args.size() <= i || !(args.get(i) instanceof TypeParameter t)) {
            throw at(node, "type arguments are missing");
        }
        return type(t.getValue());
    }

    private static String numeric(DataTypeParameter p) {
        if (p instanceof NumericParameter n && n.getValue().matches("\\d{1,2}")) {
            return n.getValue();
        }
        throw TributaryException.invalidArgument("a decimal precision or scale must be a number up to 38");
    }

    // ---- helpers

    static List<Expression> conjuncts(Expression e) {
        if (e instanceof LogicalExpression l && l.getOperator() == LogicalExpression.Operator.AND) {
            List<Expression> out = new ArrayList<>();
            l.getTerms().forEach(t -> out.addAll(conjuncts(t)));
            return out;
        }
        return List.of(e);
    }

    /** A DuckDB string literal; DuckDB does not read backslash escapes in standard strings. */
    static String string(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A construct as SQL names it, for "... is not supported" (never a Java class name). */
    private static String describe(Node node) {
        String simple = node.getClass().getSimpleName();
        return switch (simple) {
            case "LambdaExpression" -> "lambda expressions (x -> ...) outside transform, filter, reduce and the match functions";
            case "TryExpression" -> "try(...)";
            case "Parameter" -> "parameters (?)";
            case "SampledRelation" -> "TABLESAMPLE";
            case "TableFunctionInvocation" -> "table functions (TABLE(...))";
            case "Lateral" -> "LATERAL";
            case "PatternRecognitionRelation" -> "MATCH_RECOGNIZE";
            case "JsonTable" -> "JSON_TABLE";
            case "JsonExists" -> "JSON_EXISTS";
            case "JsonQuery" -> "JSON_QUERY";
            case "JsonValue" -> "JSON_VALUE";
            case "JsonArray" -> "JSON_ARRAY";
            case "JsonObject" -> "JSON_OBJECT";
            case "CurrentTime" -> "CURRENT_TIME";
            case "LocalTime" -> "LOCALTIME";
            case "CurrentUser" -> "CURRENT_USER";
            case "CurrentCatalog" -> "CURRENT_CATALOG";
            case "CurrentSchema" -> "CURRENT_SCHEMA";
            case "CurrentPath" -> "CURRENT_PATH";
            case "FieldReference" -> "field references";
            case "GroupingSets" -> "this grouping";
            case "WindowOperation" -> "window measures";
            case "Offset" -> "OFFSET";
            case "FetchFirst" -> "FETCH FIRST";
            case "Union" -> "UNION";
            case "Intersect" -> "INTERSECT";
            case "Except" -> "EXCEPT";
            case "JoinUsing" -> "JOIN ... USING";
            case "JoinOn" -> "JOIN ... ON";
            case "NaturalJoin" -> "NATURAL JOIN";
            default -> simple.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        };
    }

    static String location(Node node) {
        return node.getLocation().map(l -> "line " + l.getLineNumber() + ":" + l.getColumnNumber() + ": ").orElse("");
    }

    static TributaryException unsupported(Node node, String what) {
        return new TributaryException(ErrorCode.UNSUPPORTED, location(node) + what + " is not supported by Tributary's SQL engine");
    }

    private static TributaryException at(Node node, String message) {
        return TributaryException.invalidArgument("%s%s", location(node), message);
    }
}
