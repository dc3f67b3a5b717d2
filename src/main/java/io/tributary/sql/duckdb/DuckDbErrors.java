package io.tributary.sql.duckdb;

import io.trino.sql.tree.DefaultTraversalVisitor;
import io.trino.sql.tree.DereferenceExpression;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Node;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB's error messages about a translated query, worded as Trino words them: a misspelled
 * column is a column that cannot be resolved (at its line and column in the query), a function
 * or operator given the wrong types has unexpected parameters, and no message lists DuckDB's
 * overloads or advises DuckDB settings and functions that Tributary does not offer. A message
 * about reading a table's files is left as it is (it names the object).
 *
 * <p>Immutable and thread-safe.
 */
final class DuckDbErrors {
    /** The start of a message a {@code trino.fail} macro raises (through a cast that fails; see {@link TrinoMacros}). */
    static final String MARKER = "[trino] ";

    private static final Pattern FAIL = Pattern.compile("(?s).*Could not convert string '" + Pattern.quote(MARKER) + "(.*)' to INT32.*");
    private static final Pattern SELECT_ALIAS = Pattern.compile(
            "(?s).*Column \"(.*)\" referenced that exists in the SELECT clause - but this column cannot be referenced before it is defined.*");
    private static final Pattern NOT_FOUND = Pattern.compile("(?s).*Referenced column \"(.*?)\" not found in FROM clause!.*");
    private static final Pattern NO_SUCH_FIELD = Pattern.compile("(?s).*(?:Values list|Table) \"(.*?)\" does not have a column named \"(.*?)\".*");
    private static final Pattern CANDIDATES = Pattern.compile(
            "(?s).*(?:Could not choose a best candidate function for the function call|No function matches the given name and argument types) "
                    + "[\"'](.*?)\\((.*?)\\)[\"'].*");
    private static final Pattern MACRO = Pattern.compile("(?s).*Macro \"?(\\w+)\"?\\(\\) (?:does not support the supplied arguments|has multiple overloads).*");
    private static final Pattern CANNOT_COMPARE = Pattern.compile("(?s).*Cannot compare values of type (.*?) and type (.*?) - .*");
    private static final Pattern CAST = Pattern.compile(
            "Conversion Error: Could not convert string '(.*)' to (INT8|INT16|INT32|INT64|DOUBLE|FLOAT)(?: when casting from source column .*)?");
    private static final Pattern JSON = Pattern.compile("(?s).*Malformed JSON at byte \\d+ of input: .*?Input: \"(.*)\".*");
    private static final Pattern OPERATOR = Pattern.compile("[-+*/%|<>=!~^&]+");

    private DuckDbErrors() {}

    /**
     * The message as Trino would give it, or the message itself.
     *
     * @param query the query as the user wrote it, for the position of a column that does not exist
     */
    static String rewrite(String message, Optional<Node> query) {
        Matcher m = FAIL.matcher(message);
        if (m.matches()) {
            return m.group(1);
        }
        if (message.contains("Division by zero")) {
            return "Division by zero";
        }
        if (message.contains("More than one row returned by a subquery used as an expression")) {
            return "Scalar sub-query has returned multiple rows";
        }
        m = SELECT_ALIAS.matcher(message);
        if (!m.matches()) {
            m = NOT_FOUND.matcher(message);
        }
        if (m.matches()) {
            String column = m.group(1);
            return at(query, column, null) + "Column '" + column + "' cannot be resolved";
        }
        m = NO_SUCH_FIELD.matcher(message);
        if (m.matches()) {
            return at(query, m.group(2), m.group(1)) + "Column '" + m.group(1) + "." + m.group(2) + "' cannot be resolved";
        }
        m = CANDIDATES.matcher(message);
        if (m.matches()) {
            String name = m.group(1).replace("\"", "");
            List<String> types = List.of(m.group(2).split(",\\s*")).stream().filter(t -> !t.isBlank()).map(DuckDbErrors::typeName).toList();
            if (OPERATOR.matcher(name).matches() && types.size() == 2) {
                return "Cannot apply operator: " + types.get(0) + " " + (name.equals("//") ? "/" : name) + " " + types.get(1);
            }
            return "Unexpected parameters (" + String.join(", ", types) + ") for function " + name;
        }
        m = MACRO.matcher(message);
        if (m.matches()) {
            return "Unexpected parameters for function " + function(m.group(1));
        }
        m = CANNOT_COMPARE.matcher(message);
        if (m.matches()) {
            return "Cannot apply operator: " + typeName(m.group(1)) + " = " + typeName(m.group(2));
        }
        m = CAST.matcher(message);
        // A value in a table's file that does not convert is reported with the file's name (s3://...), left as it is.
        if (m.matches() && !message.contains("s3://")) {
            return "Cannot cast '" + m.group(1) + "' to " + switch (m.group(2)) {
                case "INT8" -> "TINYINT";
                case "INT16" -> "SMALLINT";
                case "INT32" -> "INT";
                case "INT64" -> "BIGINT";
                case "FLOAT" -> "REAL";
                default -> "DOUBLE";
            };
        }
        m = JSON.matcher(message);
        if (m.matches() && !message.contains(" in file ")) {
            return "Cannot convert value to JSON: '" + m.group(1) + "'";
        }
        // DuckDB's advice names its own TRY() and SET, which Tributary does not offer under those names.
        return message.replaceAll("(?s)\\s*Use TRY\\(\\.\\.\\.\\).*", "").replaceAll("(?s)\\s*Use \"SET [^\"]*\".*", "").strip();
    }

    /** The Trino function a macro of {@link TrinoMacros} implements. */
    private static String function(String macro) {
        String name = macro.replaceAll("_(plain|dates|b)$", "");
        return switch (name) {
            case "add_calendar", "add_days", "add_clock" -> "date_add";
            case "diff_calendar", "diff_clock" -> "date_diff";
            case "to_varchar", "to_date", "to_timestamp", "to_tz", "to_json", "to_bigint", "to_integer", "to_smallint", "to_tinyint" -> "CAST";
            case "wall" -> "a date or time function";
            case "key" -> "a comparison";
            default -> name;
        };
    }

    /** DuckDB's name of a type as Trino names it: STRING_LITERAL is a varchar, INTEGER_LITERAL an integer. */
    private static String typeName(String duck) {
        String t = duck.replace("\"", "").trim();
        return switch (t) {
            case "STRING_LITERAL" -> "varchar";
            case "INTEGER_LITERAL" -> "integer";
            default -> t.startsWith("DECIMAL") ? t.toLowerCase(Locale.ROOT) : DuckDbTypes.column("x", t).type();
        };
    }

    /** {@code line L:C: } of the first reference to the column in the query, or nothing. */
    private static String at(Optional<Node> query, String column, String qualifier) {
        if (query.isEmpty()) {
            return "";
        }
        Node[] found = new Node[1];
        new DefaultTraversalVisitor<Void>() {
            @Override
            protected Void visitIdentifier(Identifier node, Void context) {
                if (found[0] == null && qualifier == null && node.getValue().equalsIgnoreCase(column)) {
                    found[0] = node;
                }
                return null;
            }

            @Override
            protected Void visitDereferenceExpression(DereferenceExpression node, Void context) {
                if (found[0] == null && qualifier != null && node.getField().isPresent() && node.getField().get().getValue().equalsIgnoreCase(column)
                        && node.getBase() instanceof Identifier base && base.getValue().equalsIgnoreCase(qualifier)) {
                    found[0] = node;
                }
                return super.visitDereferenceExpression(node, context);
            }
        }.process(query.get(), null);
        return Optional.ofNullable(found[0]).flatMap(Node::getLocation)
                .map(l -> "line " + l.getLineNumber() + ":" + l.getColumnNumber() + ": ").orElse("");
    }

}
