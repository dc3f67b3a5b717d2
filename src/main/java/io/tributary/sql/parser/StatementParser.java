package io.tributary.sql.parser;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;
import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.DataType;
import io.tributary.sql.parser.SqlStatement.PartitionSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies a statement of Athena's dialect and parses Hive DDL by hand, in Hive's clause order
 * (Trino's parser does not read Hive DDL). Queries, CTAS and INSERT are recognised by their first
 * words and left to Trino's parser. Anything else is refused naming the statement, so nothing a
 * user types reaches the engine unexamined.
 *
 * <p>Stateless and thread-safe.
 */
public final class StatementParser {
    private static final Set<String> REFUSED = Set.of("ATTACH", "DETACH", "COPY", "INSTALL", "LOAD", "SET", "RESET", "PRAGMA", "EXPORT",
            "IMPORT", "CALL", "CHECKPOINT", "VACUUM", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "GRANT", "REVOKE", "PREPARE", "EXECUTE",
            "DEALLOCATE", "BEGIN", "COMMIT", "ROLLBACK", "START", "SUMMARIZE", "PIVOT", "UNPIVOT", "FROM", "OPTIMIZE", "ANALYZE", "REFRESH");

    private final String sql;
    private final Lexer lexer;
    private final List<Token> tokens = new ArrayList<>();
    private Lexer.Dialect dialect = Lexer.Dialect.TRINO;
    private int index;

    private StatementParser(String sql) {
        this.sql = sql;
        this.lexer = new Lexer(sql);
    }

    /**
     * Parses one statement; a trailing semicolon is allowed. Statements nested deeper than
     * {@link Nesting#MAX_DEPTH} are refused here, before any parser sees them.
     */
    public static SqlStatement parse(String sql) {
        if (sql == null || sql.isBlank()) {
            throw TributaryException.invalidArgument("the query is empty");
        }
        Nesting.check(sql);
        return new StatementParser(sql).statement();
    }

    private SqlStatement statement() {
        Token first = peek();
        if (first.kind() == Token.Kind.END) {
            throw TributaryException.invalidArgument("the query is empty");
        }
        if (first.isSymbol("(")) {
            return new SqlStatement.Query(sql, SqlStatement.Query.Kind.SELECT);
        }
        if (first.kind() != Token.Kind.WORD) {
            throw SqlErrors.at(first.line(), first.column(), "mismatched input " + first.describe() + ": a statement starts with a keyword "
                    + "such as SELECT, CREATE, ALTER, DROP, SHOW, DESCRIBE, MSCK or USE");
        }
        String keyword = first.upper();
        // Athena reads Hive DDL with Hive's strings (backslash escapes) and everything Trino runs with Trino's.
        if (Set.of("DROP", "SHOW", "DESCRIBE", "DESC", "USE", "MSCK", "ALTER").contains(keyword)) {
            dialect(Lexer.Dialect.HIVE);
        }
        SqlStatement statement = switch (keyword) {
            case "SELECT", "WITH", "VALUES", "TABLE" -> new SqlStatement.Query(sql, SqlStatement.Query.Kind.SELECT);
            case "INSERT" -> new SqlStatement.Query(sql, SqlStatement.Query.Kind.INSERT);
            case "EXPLAIN" -> new SqlStatement.Query(sql, SqlStatement.Query.Kind.EXPLAIN);
            case "CREATE" -> create();
            case "DROP" -> drop();
            case "SHOW" -> show();
            case "DESCRIBE", "DESC" -> describe();
            case "USE" -> {
                next();
                yield end(new SqlStatement.Use(identifier("database name")));
            }
            case "MSCK" -> {
                next();
                expectWord("REPAIR");
                expectWord("TABLE");
                yield end(new SqlStatement.MsckRepair(objectName("table name")));
            }
            case "ALTER" -> alter();
            case "UNLOAD" -> unload();
            default -> throw REFUSED.contains(keyword)
                    ? new TributaryException(ErrorCode.UNSUPPORTED, String.format("line %d:%d: %s statements are not supported: Tributary runs "
                            + "Athena's SQL (queries, Hive DDL, CTAS, INSERT INTO, UNLOAD) over catalog tables only", first.line(),
                            first.column(), keyword))
                    : SqlErrors.at(first.line(), first.column(), "mismatched input '" + first.text() + "'; expecting a statement such as SELECT, "
                            + "CREATE, ALTER, DROP, SHOW, DESCRIBE, MSCK REPAIR TABLE, USE, INSERT INTO or UNLOAD");
        };
        return statement;
    }

    // ---- CREATE

    private SqlStatement create() {
        next();
        if (peekWord("DATABASE") || peekWord("SCHEMA")) {
            dialect(Lexer.Dialect.HIVE);
            next();
            boolean ifNotExists = ifNotExists();
            String name = identifier("database name");
            Optional<String> comment = Optional.empty();
            Optional<String> location = Optional.empty();
            Map<String, String> properties = Map.of();
            while (peek().kind() == Token.Kind.WORD) {
                if (takeWord("COMMENT")) {
                    comment = Optional.of(string("database comment"));
                } else if (takeWord("LOCATION")) {
                    location = Optional.of(string("database location"));
                } else if (takeWord("WITH")) {
                    expectWord("DBPROPERTIES");
                    properties = properties();
                } else {
                    throw unexpected("COMMENT, LOCATION, WITH DBPROPERTIES or the end of the statement");
                }
            }
            return end(new SqlStatement.CreateDatabase(name, ifNotExists, comment, location, properties));
        }
        if (peekWord("OR") || peekWord("VIEW")) {
            boolean orReplace = false;
            if (takeWord("OR")) {
                expectWord("REPLACE");
                orReplace = true;
            }
            expectWord("VIEW");
            ObjectName name = objectName("view name");
            expectWord("AS");
            Token start = peek();
            if (start.kind() == Token.Kind.END) {
                throw unexpected("the view's SELECT");
            }
            return new SqlStatement.CreateView(name, orReplace, stripTrailingSemicolon(sql.substring(start.offset())), start.line(), start.column());
        }
        boolean external = takeWord("EXTERNAL");
        if (external) {
            dialect(Lexer.Dialect.HIVE);
        }
        expectWord("TABLE");
        int afterTable = index;
        boolean ifNotExists = ifNotExists();
        ObjectName name = objectName("table name");
        if (!external) {
            // CREATE TABLE name WITH (...) AS SELECT / CREATE TABLE name AS SELECT: Athena's CTAS.
            if (peekWord("WITH") || peekWord("AS") || peekWord("COMMENT")) {
                index = afterTable;
                return new SqlStatement.Query(sql, SqlStatement.Query.Kind.CREATE_TABLE_AS_SELECT);
            }
            Token t = peek();
            throw new TributaryException(ErrorCode.UNSUPPORTED, String.format("line %d:%d: CREATE TABLE without EXTERNAL makes an Iceberg "
                    + "table in Athena, which Tributary does not support; use CREATE EXTERNAL TABLE ... LOCATION 's3://...' or "
                    + "CREATE TABLE ... WITH (...) AS SELECT", t.line(), t.column()));
        }
        return createExternalTable(name, ifNotExists);
    }

    private SqlStatement createExternalTable(ObjectName name, boolean ifNotExists) {
        List<Column> columns = columns("column");
        Optional<String> comment = Optional.empty();
        List<Column> partitionKeys = List.of();
        Optional<String> serde = Optional.empty();
        Map<String, String> serdeProperties = new LinkedHashMap<>();
        Optional<String> storedAs = Optional.empty();
        Optional<String> inputFormat = Optional.empty();
        Optional<String> outputFormat = Optional.empty();
        Optional<String> location = Optional.empty();
        Map<String, String> tableProperties = Map.of();
        // Hive's order: COMMENT, PARTITIONED BY, CLUSTERED BY, ROW FORMAT, STORED AS, LOCATION, TBLPROPERTIES.
        int stage = 0;
        while (peek().kind() != Token.Kind.END && !peek().isSymbol(";")) {
            Token t = peek();
            if (t.isWord("COMMENT") && stage < 1) {
                next();
                comment = Optional.of(string("table comment"));
                stage = 1;
            } else if (t.isWord("PARTITIONED") && stage < 2) {
                next();
                expectWord("BY");
                partitionKeys = columns("partition key");
                stage = 2;
            } else if (t.isWord("CLUSTERED") && stage < 3) {
                throw new TributaryException(ErrorCode.UNSUPPORTED, String.format(
                        "line %d:%d: CLUSTERED BY (bucketed tables) is not supported", t.line(), t.column()));
            } else if (t.isWord("ROW") && stage < 4) {
                next();
                expectWord("FORMAT");
                if (takeWord("SERDE")) {
                    serde = Optional.of(string("SerDe class"));
                    if (takeWord("WITH")) {
                        expectWord("SERDEPROPERTIES");
                        serdeProperties.putAll(properties());
                    }
                } else if (takeWord("DELIMITED")) {
                    serde = Optional.of(io.tributary.sql.catalog.TableFormat.LAZY_SIMPLE_SERDE);
                    serdeProperties.putAll(delimited());
                } else {
                    throw unexpected("SERDE or DELIMITED");
                }
                stage = 4;
            } else if (t.isWord("WITH") && stage < 5 && peekAt(1).isWord("SERDEPROPERTIES")) {
                next();
                next();
                serdeProperties.putAll(properties());
                stage = 4;
            } else if (t.isWord("STORED") && stage < 5) {
                next();
                expectWord("AS");
                if (takeWord("INPUTFORMAT")) {
                    inputFormat = Optional.of(string("input format class"));
                    expectWord("OUTPUTFORMAT");
                    outputFormat = Optional.of(string("output format class"));
                } else {
                    storedAs = Optional.of(identifier("storage format").toUpperCase(Locale.ROOT));
                }
                stage = 5;
            } else if (t.isWord("LOCATION") && stage < 6) {
                next();
                location = Optional.of(string("location"));
                stage = 6;
            } else if (t.isWord("TBLPROPERTIES") && stage < 7) {
                next();
                tableProperties = properties();
                stage = 7;
            } else {
                throw unexpected(expectedAfter(stage));
            }
        }
        if (location.isEmpty()) {
            Token t = peek();
            throw SqlErrors.at(t.line(), t.column(), "CREATE EXTERNAL TABLE " + name + " needs LOCATION 's3://bucket/prefix/': "
                    + "an external table reads the files at its location");
        }
        return end(new SqlStatement.CreateTable(name, ifNotExists, columns, comment, partitionKeys, serde, serdeProperties, storedAs,
                inputFormat, outputFormat, location.get(), tableProperties));
    }

    private static String expectedAfter(int stage) {
        List<String> clauses = List.of("COMMENT", "PARTITIONED BY", "ROW FORMAT", "ROW FORMAT", "STORED AS", "LOCATION", "TBLPROPERTIES");
        List<String> rest = new ArrayList<>();
        for (int i = stage; i < clauses.size(); i++) {
            if (!rest.contains(clauses.get(i))) {
                rest.add(clauses.get(i));
            }
        }
        return rest.isEmpty() ? "the end of the statement" : String.join(", ", rest) + " (in Hive's clause order) or the end of the statement";
    }

    private Map<String, String> delimited() {
        Map<String, String> props = new LinkedHashMap<>();
        while (true) {
            if (takeWord("FIELDS")) {
                expectWord("TERMINATED");
                expectWord("BY");
                String delimiter = string("field delimiter");
                props.put("field.delim", delimiter);
                props.put("serialization.format", delimiter);
                if (takeWord("ESCAPED")) {
                    expectWord("BY");
                    props.put("escape.delim", string("escape character"));
                }
            } else if (takeWord("COLLECTION")) {
                expectWord("ITEMS");
                expectWord("TERMINATED");
                expectWord("BY");
                props.put("collection.delim", string("collection delimiter"));
            } else if (takeWord("MAP")) {
                expectWord("KEYS");
                expectWord("TERMINATED");
                expectWord("BY");
                props.put("mapkey.delim", string("map key delimiter"));
            } else if (takeWord("LINES")) {
                expectWord("TERMINATED");
                expectWord("BY");
                String lines = string("line delimiter");
                if (!lines.equals("\n")) {
                    throw TributaryException.invalidArgument("LINES TERMINATED BY supports only '\\n', as Hive does");
                }
                props.put("line.delim", lines);
            } else if (takeWord("NULL")) {
                expectWord("DEFINED");
                expectWord("AS");
                props.put("serialization.null.format", string("null format"));
            } else {
                return props;
            }
        }
    }

    /** {@code (name type [COMMENT '...'], ...)} */
    private List<Column> columns(String what) {
        expectSymbol("(");
        List<Column> columns = new ArrayList<>();
        do {
            Token nameToken = peek();
            String name = identifier(what + " name");
            String type = typeText();
            DataType parsed;
            try {
                parsed = DataType.parse(type);
            } catch (TributaryException e) {
                throw SqlErrors.at(nameToken.line(), nameToken.column(), e.getMessage());
            }
            Optional<String> comment = takeWord("COMMENT") ? Optional.of(string(what + " comment")) : Optional.empty();
            columns.add(new Column(name, parsed, comment));
        } while (takeSymbol(","));
        expectSymbol(")");
        return columns;
    }

    /** A type's text: words and numbers with balanced {@code <>} and {@code ()}, up to ',' or ')' at depth 0 or COMMENT. */
    private String typeText() {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        Token start = peek();
        while (true) {
            Token t = peek();
            if (t.kind() == Token.Kind.END) {
                throw SqlErrors.at(t.line(), t.column(), "unexpected end of statement in a column type");
            }
            if (depth == 0 && (t.isSymbol(",") || t.isSymbol(")") || t.isWord("COMMENT"))) {
                break;
            }
            if (t.isSymbol("<") || t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(">") || t.isSymbol(")")) {
                depth--;
            }
            sb.append(t.kind() == Token.Kind.QUOTED_IDENTIFIER ? "`" + t.text() + "`" : t.text());
            if (t.kind() == Token.Kind.WORD && peekAt(1).kind() == Token.Kind.WORD) {
                sb.append(' ');
            }
            next();
        }
        if (sb.isEmpty()) {
            throw SqlErrors.at(start.line(), start.column(), "expected a column type, found " + start.describe());
        }
        return sb.toString();
    }

    /** {@code ('key' = 'value', ...)} */
    private Map<String, String> properties() {
        expectSymbol("(");
        Map<String, String> props = new LinkedHashMap<>();
        if (takeSymbol(")")) {
            return props;
        }
        do {
            String key = string("property name");
            expectSymbol("=");
            props.put(key, string("property value"));
        } while (takeSymbol(","));
        expectSymbol(")");
        return props;
    }

    // ---- DROP, SHOW, DESCRIBE, ALTER

    private SqlStatement drop() {
        next();
        if (takeWord("DATABASE") || takeWord("SCHEMA")) {
            boolean ifExists = ifExists();
            String name = identifier("database name");
            boolean cascade = takeWord("CASCADE");
            if (!cascade) {
                takeWord("RESTRICT");
            }
            return end(new SqlStatement.DropDatabase(name, ifExists, cascade));
        }
        if (takeWord("TABLE")) {
            boolean ifExists = ifExists();
            return end(new SqlStatement.DropTable(objectName("table name"), ifExists));
        }
        if (takeWord("VIEW")) {
            boolean ifExists = ifExists();
            return end(new SqlStatement.DropView(objectName("view name"), ifExists));
        }
        throw unexpected("DATABASE, TABLE or VIEW");
    }

    private SqlStatement show() {
        next();
        if (takeWord("DATABASES") || takeWord("SCHEMAS")) {
            Optional<String> like = takeWord("LIKE") ? Optional.of(string("pattern")) : Optional.empty();
            return end(new SqlStatement.ShowDatabases(like));
        }
        if (takeWord("TABLES")) {
            Optional<String> db = inDatabase();
            return end(new SqlStatement.ShowTables(db, likePattern()));
        }
        if (takeWord("VIEWS")) {
            Optional<String> db = inDatabase();
            return end(new SqlStatement.ShowViews(db, likePattern()));
        }
        if (takeWord("CREATE")) {
            boolean view = takeWord("VIEW");
            if (!view) {
                expectWord("TABLE");
            }
            return end(new SqlStatement.ShowCreateTable(objectName(view ? "view name" : "table name"), view));
        }
        if (takeWord("PARTITIONS")) {
            return end(new SqlStatement.ShowPartitions(objectName("table name")));
        }
        if (takeWord("COLUMNS")) {
            if (!takeWord("IN")) {
                expectWord("FROM");
            }
            ObjectName table = objectName("table name");
            if (takeWord("IN") || takeWord("FROM")) {
                table = new ObjectName(Optional.of(identifier("database name")), table.name());
            }
            return end(new SqlStatement.ShowColumns(table));
        }
        if (takeWord("TBLPROPERTIES")) {
            return end(new SqlStatement.ShowTableProperties(objectName("table name")));
        }
        throw unexpected("DATABASES, SCHEMAS, TABLES, VIEWS, COLUMNS, CREATE TABLE, CREATE VIEW, PARTITIONS or TBLPROPERTIES");
    }

    /** SHOW TABLES and SHOW VIEWS: {@code [IN | FROM database]}. */
    private Optional<String> inDatabase() {
        return takeWord("IN") || takeWord("FROM") ? Optional.of(identifier("database name")) : Optional.empty();
    }

    /** SHOW TABLES and SHOW VIEWS: {@code [[LIKE] 'pattern']}, as Hive takes the pattern with or without LIKE. */
    private Optional<String> likePattern() {
        return peek().kind() == Token.Kind.STRING || takeWord("LIKE") ? Optional.of(string("pattern")) : Optional.empty();
    }

    private SqlStatement describe() {
        next();
        boolean formatted = takeWord("FORMATTED") || takeWord("EXTENDED");
        return end(new SqlStatement.Describe(objectName("table name"), formatted));
    }

    private SqlStatement alter() {
        next();
        expectWord("TABLE");
        ObjectName table = objectName("table name");
        if (takeWord("ADD")) {
            if (takeWord("COLUMNS")) {
                return end(alterColumns(table, false));
            }
            boolean ifNotExists = ifNotExists();
            List<PartitionSpec> partitions = new ArrayList<>();
            if (!peekWord("PARTITION")) {
                throw unexpected("PARTITION or COLUMNS");
            }
            while (takeWord("PARTITION")) {
                Map<String, String> values = partitionValues();
                Optional<String> location = takeWord("LOCATION") ? Optional.of(string("partition location")) : Optional.empty();
                partitions.add(new PartitionSpec(values, location));
                takeSymbol(",");
            }
            return end(new SqlStatement.AddPartitions(table, ifNotExists, partitions));
        }
        if (takeWord("REPLACE")) {
            expectWord("COLUMNS");
            return end(alterColumns(table, true));
        }
        if (takeWord("DROP")) {
            boolean ifExists = ifExists();
            List<PartitionSpec> partitions = new ArrayList<>();
            do {
                expectWord("PARTITION");
                partitions.add(new PartitionSpec(partitionValues(), Optional.empty()));
            } while (takeSymbol(","));
            return end(new SqlStatement.DropPartitions(table, ifExists, partitions));
        }
        Optional<PartitionSpec> partition = Optional.empty();
        if (takeWord("PARTITION")) {
            partition = Optional.of(new PartitionSpec(partitionValues(), Optional.empty()));
            if (!peekWord("SET") || !peekAt(1).isWord("LOCATION")) {
                takeWord("SET");
                throw unexpected("SET LOCATION");
            }
        }
        if (takeWord("SET")) {
            if (takeWord("LOCATION")) {
                return end(new SqlStatement.SetLocation(table, partition, string("location")));
            }
            if (takeWord("TBLPROPERTIES")) {
                return end(new SqlStatement.SetTableProperties(table, properties()));
            }
            Token t = peek();
            throw new TributaryException(ErrorCode.UNSUPPORTED, String.format("line %d:%d: ALTER TABLE ... SET %s is not supported; Tributary "
                    + "supports SET LOCATION and SET TBLPROPERTIES", t.line(), t.column(), t.text()));
        }
        Token t = peek();
        throw new TributaryException(ErrorCode.UNSUPPORTED, String.format("line %d:%d: ALTER TABLE %s is not supported; Tributary supports "
                + "ALTER TABLE ... ADD COLUMNS, REPLACE COLUMNS, ADD PARTITION, DROP PARTITION, SET LOCATION and SET TBLPROPERTIES",
                t.line(), t.column(), t.text()));
    }

    /** {@code ADD|REPLACE COLUMNS (name type [COMMENT '...'], ...) [CASCADE|RESTRICT]}; Hive's CASCADE concerns partition metadata Tributary does not keep. */
    private SqlStatement.AlterColumns alterColumns(ObjectName table, boolean replace) {
        List<Column> columns = columns("column");
        if (!takeWord("CASCADE")) {
            takeWord("RESTRICT");
        }
        return new SqlStatement.AlterColumns(table, replace, columns);
    }

    /** {@code (key = value, ...)} with values as numbers, strings or bare words. */
    private Map<String, String> partitionValues() {
        expectSymbol("(");
        Map<String, String> values = new LinkedHashMap<>();
        do {
            Token keyToken = peek();
            String key = identifier("partition key").toLowerCase(Locale.ROOT);
            expectSymbol("=");
            Token v = next();
            String value;
            if (v.kind() == Token.Kind.STRING || v.kind() == Token.Kind.NUMBER || v.kind() == Token.Kind.WORD) {
                value = v.text();
            } else if (v.isSymbol("-") && peek().kind() == Token.Kind.NUMBER) {
                value = "-" + next().text();
            } else {
                throw SqlErrors.at(v.line(), v.column(), "expected a partition value, found " + v.describe());
            }
            if (values.put(key, value) != null) {
                throw SqlErrors.at(keyToken.line(), keyToken.column(), "partition key '" + key + "' is given twice");
            }
        } while (takeSymbol(","));
        expectSymbol(")");
        return values;
    }

    // ---- UNLOAD

    private SqlStatement unload() {
        next();
        Token open = expectSymbol("(");
        int depth = 1;
        Token start = peek();
        Token t;
        do {
            t = next();
            if (t.kind() == Token.Kind.END) {
                throw SqlErrors.at(open.line(), open.column(), "unbalanced parentheses in UNLOAD (query)");
            }
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            }
        } while (depth > 0);
        String query = sql.substring(start.offset(), t.offset());
        expectWord("TO");
        String location = string("UNLOAD location");
        Map<String, String> props = new LinkedHashMap<>();
        if (takeWord("WITH")) {
            expectSymbol("(");
            do {
                String key = identifier("property name").toLowerCase(Locale.ROOT);
                expectSymbol("=");
                if (takeWord("ARRAY")) {
                    expectSymbol("[");
                    List<String> items = new ArrayList<>();
                    if (!takeSymbol("]")) {
                        do {
                            items.add(string("array element"));
                        } while (takeSymbol(","));
                        expectSymbol("]");
                    }
                    props.put(key, String.join(",", items));
                } else {
                    Token v = next();
                    if (v.kind() != Token.Kind.STRING && v.kind() != Token.Kind.NUMBER && v.kind() != Token.Kind.WORD
                            && v.kind() != Token.Kind.QUOTED_IDENTIFIER) {
                        throw SqlErrors.at(v.line(), v.column(), "expected a property value, found " + v.describe());
                    }
                    props.put(key, v.text());
                }
            } while (takeSymbol(","));
            expectSymbol(")");
        }
        return end(new SqlStatement.Unload(query, start.line(), start.column(), location, props));
    }

    // ---- helpers

    private boolean ifNotExists() {
        if (peekWord("IF")) {
            next();
            expectWord("NOT");
            expectWord("EXISTS");
            return true;
        }
        return false;
    }

    private boolean ifExists() {
        if (peekWord("IF")) {
            next();
            expectWord("EXISTS");
            return true;
        }
        return false;
    }

    /** {@code db.name}, {@code name}, {@code `db`.`name`} or {@code `db.name`} (one backtick pair, as the lab writes it). */
    private ObjectName objectName(String what) {
        Token t = peek();
        String first = identifier(what);
        if (takeSymbol(".")) {
            String second = identifier(what);
            if (takeSymbol(".")) {
                // awsdatacatalog.db.table: the catalog name Athena accepts.
                if (!first.equalsIgnoreCase("awsdatacatalog")) {
                    throw SqlErrors.at(t.line(), t.column(), "catalog '" + first + "' does not exist; the only catalog is awsdatacatalog");
                }
                return new ObjectName(Optional.of(second), identifier(what));
            }
            return new ObjectName(Optional.of(first), second);
        }
        if (t.kind() == Token.Kind.QUOTED_IDENTIFIER && first.contains(".")) {
            int dot = first.indexOf('.');
            return new ObjectName(Optional.of(first.substring(0, dot)), first.substring(dot + 1));
        }
        return new ObjectName(Optional.empty(), first);
    }

    private String identifier(String what) {
        Token t = peek();
        if (t.kind() == Token.Kind.WORD || t.kind() == Token.Kind.QUOTED_IDENTIFIER) {
            next();
            return t.text();
        }
        throw SqlErrors.at(t.line(), t.column(), "expected " + what + ", found " + t.describe());
    }

    private String string(String what) {
        Token t = peek();
        // UNLOAD ... TO "s3://..." was accepted when every statement was read with Hive's strings; it still is.
        if (t.kind() == Token.Kind.STRING || (dialect == Lexer.Dialect.TRINO && t.kind() == Token.Kind.QUOTED_IDENTIFIER
                && sql.charAt(t.offset()) == '"')) {
            next();
            return t.text();
        }
        throw SqlErrors.at(t.line(), t.column(), "expected " + what + " as a quoted string, found " + t.describe());
    }

    private <T extends SqlStatement> T end(T statement) {
        takeSymbol(";");
        Token t = peek();
        if (t.kind() != Token.Kind.END) {
            throw SqlErrors.at(t.line(), t.column(), "extraneous input " + t.describe() + " after the end of the statement "
                    + "(run one statement at a time)");
        }
        return statement;
    }

    private TributaryException unexpected(String expected) {
        Token t = peek();
        return SqlErrors.at(t.line(), t.column(), "mismatched input " + t.describe() + ". Expecting: " + expected);
    }

    /** Reads the tokens from the current one on in {@code d}'s strings; tokens already read ahead are read again. */
    private void dialect(Lexer.Dialect d) {
        if (d == dialect) {
            return;
        }
        dialect = d;
        if (index < tokens.size()) {
            lexer.rewind(tokens.get(index));
            tokens.subList(index, tokens.size()).clear();
        }
    }

    private Token token(int i) {
        while (tokens.size() <= i && (tokens.isEmpty() || tokens.get(tokens.size() - 1).kind() != Token.Kind.END)) {
            tokens.add(lexer.next(dialect));
        }
        return tokens.get(Math.min(i, tokens.size() - 1));
    }

    private Token peek() {
        return token(index);
    }

    private Token peekAt(int ahead) {
        return token(index + ahead);
    }

    private Token next() {
        Token t = token(index);
        if (t.kind() != Token.Kind.END) {
            index++;
        }
        return t;
    }

    private boolean peekWord(String word) {
        return peek().isWord(word);
    }

    private boolean takeWord(String word) {
        if (peekWord(word)) {
            next();
            return true;
        }
        return false;
    }

    private void expectWord(String word) {
        if (!takeWord(word)) {
            throw unexpected(word);
        }
    }

    private boolean takeSymbol(String symbol) {
        if (peek().isSymbol(symbol)) {
            next();
            return true;
        }
        return false;
    }

    private Token expectSymbol(String symbol) {
        Token t = peek();
        if (!takeSymbol(symbol)) {
            throw unexpected("'" + symbol + "'");
        }
        return t;
    }

    static String stripTrailingSemicolon(String text) {
        String s = text.stripTrailing();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        return s;
    }
}
