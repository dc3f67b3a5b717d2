package io.tributary.sql.duckdb;

import io.trino.sql.tree.BetweenPredicate;
import io.trino.sql.tree.ComparisonExpression;
import io.trino.sql.tree.DecimalLiteral;
import io.trino.sql.tree.DereferenceExpression;
import io.trino.sql.tree.DoubleLiteral;
import io.trino.sql.tree.Expression;
import io.trino.sql.tree.GenericLiteral;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.InListExpression;
import io.trino.sql.tree.InPredicate;
import io.trino.sql.tree.LogicalExpression;
import io.trino.sql.tree.LongLiteral;
import io.trino.sql.tree.NotExpression;
import io.trino.sql.tree.StringLiteral;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.DataType;
import io.tributary.sql.catalog.Partition;
import io.tributary.sql.catalog.PartitionValues;
import io.tributary.sql.catalog.TableDefinition;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Partition pruning: decides from a query block's WHERE conjuncts which registered partitions
 * cannot hold matching rows, so their files are neither listed nor read (nor counted as scanned).
 * Only comparisons of partition keys with literals are evaluated; anything else is "unknown" and
 * keeps the partition. The engine applies the full WHERE clause anyway, so pruning never changes
 * an answer.
 *
 * <p>Stateless.
 */
final class PartitionFilter {
    private final TableDefinition table;
    private final String alias;
    private final boolean sole;

    PartitionFilter(TableDefinition table, String alias, boolean sole) {
        this.table = table;
        this.alias = alias.toLowerCase(Locale.ROOT);
        this.sole = sole;
    }

    boolean mayMatch(List<Expression> conjuncts, Partition partition) {
        return mayMatch(conjuncts, partition.values());
    }

    /**
     * Like {@link #mayMatch(List, Partition)} with some keys' values unknown ({@code null}), so a
     * projected key's values can be pruned before partitions are combined.
     */
    boolean mayMatch(List<Expression> conjuncts, List<String> values) {
        for (Expression conjunct : conjuncts) {
            if (evaluate(conjunct, values).orElse(true) == Boolean.FALSE) {
                return false;
            }
        }
        return true;
    }

    /**
     * The literals a top-level conjunct {@code key = literal} or {@code key IN (literals)} compares
     * key {@code index} with (intersected when there are several), or empty when there is none: an
     * injected projection's values.
     */
    Optional<Set<String>> equalities(List<Expression> conjuncts, int index) {
        Optional<Set<String>> out = Optional.empty();
        for (Expression conjunct : conjuncts) {
            Set<String> values = new LinkedHashSet<>();
            if (conjunct instanceof ComparisonExpression c && c.getOperator() == ComparisonExpression.Operator.EQUAL) {
                Optional<Integer> key = key(c.getLeft());
                Expression literal = c.getRight();
                if (key.isEmpty()) {
                    key = key(c.getRight());
                    literal = c.getLeft();
                }
                if (key.isEmpty() || key.get() != index || literalText(literal).isEmpty()) {
                    continue;
                }
                values.add(literalText(literal).get());
            } else if (conjunct instanceof InPredicate in && in.getValueList() instanceof InListExpression list
                    && key(in.getValue()).filter(k -> k == index).isPresent()) {
                for (Expression v : list.getValues()) {
                    Optional<String> text = literalText(v);
                    if (text.isEmpty()) {
                        values = null;
                        break;
                    }
                    values.add(text.get());
                }
                if (values == null) {
                    continue;
                }
            } else {
                continue;
            }
            Set<String> found = values;
            out = Optional.of(out.map(previous -> {
                previous.retainAll(found);
                return previous;
            }).orElse(found));
        }
        return out;
    }

    private Optional<Boolean> evaluate(Expression e, List<String> p) {
        if (e instanceof LogicalExpression l) {
            boolean and = l.getOperator() == LogicalExpression.Operator.AND;
            boolean unknown = false;
            for (Expression term : l.getTerms()) {
                Optional<Boolean> v = evaluate(term, p);
                if (v.isEmpty()) {
                    unknown = true;
                } else if (v.get() != and) {
                    return Optional.of(!and);
                }
            }
            return unknown ? Optional.empty() : Optional.of(and);
        }
        if (e instanceof NotExpression n) {
            return evaluate(n.getValue(), p).map(v -> !v);
        }
        if (e instanceof ComparisonExpression c) {
            Optional<Integer> key = key(c.getLeft());
            Expression literal = c.getRight();
            ComparisonExpression.Operator op = c.getOperator();
            if (key.isEmpty()) {
                key = key(c.getRight());
                literal = c.getLeft();
                op = op.flip();
            }
            if (key.isEmpty()) {
                return Optional.empty();
            }
            Optional<Integer> cmp = compare(key.get(), p, literal);
            if (cmp.isEmpty()) {
                return Optional.empty();
            }
            int r = cmp.get();
            return switch (op) {
                case EQUAL -> Optional.of(r == 0);
                case NOT_EQUAL, IS_DISTINCT_FROM -> Optional.of(r != 0);
                case LESS_THAN -> Optional.of(r < 0);
                case LESS_THAN_OR_EQUAL -> Optional.of(r <= 0);
                case GREATER_THAN -> Optional.of(r > 0);
                case GREATER_THAN_OR_EQUAL -> Optional.of(r >= 0);
            };
        }
        if (e instanceof BetweenPredicate b) {
            Optional<Integer> key = key(b.getValue());
            if (key.isEmpty()) {
                return Optional.empty();
            }
            Optional<Integer> low = compare(key.get(), p, b.getMin());
            Optional<Integer> high = compare(key.get(), p, b.getMax());
            if (low.isEmpty() || high.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(low.get() >= 0 && high.get() <= 0);
        }
        if (e instanceof InPredicate in && in.getValueList() instanceof InListExpression list) {
            Optional<Integer> key = key(in.getValue());
            if (key.isEmpty()) {
                return Optional.empty();
            }
            for (Expression value : list.getValues()) {
                Optional<Integer> cmp = compare(key.get(), p, value);
                if (cmp.isEmpty()) {
                    return Optional.empty();
                }
                if (cmp.get() == 0) {
                    return Optional.of(true);
                }
            }
            return Optional.of(false);
        }
        return Optional.empty();
    }

    /** The index of the partition key an expression names, if it names one of this table's. */
    private Optional<Integer> key(Expression e) {
        String name;
        if (e instanceof Identifier id && sole) {
            name = id.getValue().toLowerCase(java.util.Locale.ROOT);
        } else if (e instanceof DereferenceExpression d && d.getBase() instanceof Identifier base && d.getField().isPresent()
                && base.getValue().toLowerCase(java.util.Locale.ROOT).equals(alias)) {
            name = d.getField().get().getValue().toLowerCase(java.util.Locale.ROOT);
        } else {
            return Optional.empty();
        }
        List<Column> keys = table.partitionKeys();
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).name().equals(name)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Compares the partition's value of key {@code index} with a literal; empty when they are not comparable. */
    private Optional<Integer> compare(int index, List<String> values, Expression literal) {
        DataType type = table.partitionKeys().get(index).type();
        String value = values.get(index);
        if (value == null) {
            return Optional.empty();
        }
        Optional<String> text = literalText(literal);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (type.isNumeric()) {
                if (literal instanceof StringLiteral) {
                    return Optional.empty();
                }
                return Optional.of(new BigDecimal(value).compareTo(new BigDecimal(text.get())));
            }
            return switch (type.kind()) {
                case STRING, VARCHAR, CHAR -> literal instanceof StringLiteral ? Optional.of(Integer.signum(value.compareTo(text.get()))) : Optional.empty();
                case DATE -> Optional.of(LocalDate.parse(value).compareTo(LocalDate.parse(text.get().trim())));
                case TIMESTAMP -> PartitionValues.canonical(type, text.get()).map(t -> LocalDateTime.parse(value.replace(' ', 'T'))
                        .compareTo(LocalDateTime.parse(t.replace(' ', 'T'))));
                case BOOLEAN -> Optional.of(value.compareTo(text.get().toLowerCase(Locale.ROOT)));
                default -> Optional.empty();
            };
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> literalText(Expression e) {
        return switch (e) {
            case LongLiteral l -> Optional.of(Long.toString(l.getParsedValue()));
            case DecimalLiteral d -> Optional.of(d.getValue());
            case DoubleLiteral d -> Double.isFinite(d.getValue()) ? Optional.of(BigDecimal.valueOf(d.getValue()).toPlainString()) : Optional.empty();
            case StringLiteral s -> Optional.of(s.getValue());
            case GenericLiteral g -> Optional.of(g.getValue());
            case io.trino.sql.tree.BooleanLiteral b -> Optional.of(Boolean.toString(b.getValue()));
            default -> Optional.empty();
        };
    }
}
