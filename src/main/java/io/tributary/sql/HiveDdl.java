package io.tributary.sql;

import io.tributary.sql.catalog.Column;
import io.tributary.sql.catalog.TableDefinition;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Writes a table back as Hive DDL, as {@code SHOW CREATE TABLE} shows it; the text runs again as is. */
final class HiveDdl {
    private HiveDdl() {}

    static String createTable(TableDefinition t) {
        StringBuilder sb = new StringBuilder("CREATE EXTERNAL TABLE `" + t.name().database() + "`.`" + t.name().table() + "`(\n");
        sb.append(columns(t.columns())).append(")\n");
        t.comment().ifPresent(c -> sb.append("COMMENT ").append(quote(c)).append('\n'));
        if (t.partitioned()) {
            sb.append("PARTITIONED BY (\n").append(columns(t.partitionKeys())).append(")\n");
        }
        sb.append("ROW FORMAT SERDE\n  ").append(quote(t.storage().serde())).append('\n');
        if (!t.storage().serdeProperties().isEmpty()) {
            sb.append("WITH SERDEPROPERTIES (\n").append(properties(t.storage().serdeProperties())).append(")\n");
        }
        sb.append("STORED AS INPUTFORMAT\n  ").append(quote(t.storage().inputFormat())).append("\nOUTPUTFORMAT\n  ")
                .append(quote(t.storage().outputFormat())).append('\n');
        sb.append("LOCATION\n  ").append(quote(t.location().toString())).append('\n');
        if (!t.properties().isEmpty()) {
            sb.append("TBLPROPERTIES (\n").append(properties(t.properties())).append(")");
        }
        return sb.toString().stripTrailing();
    }

    private static String columns(List<Column> columns) {
        return columns.stream().map(c -> "  `" + c.name() + "` " + c.type().text() + c.comment().map(cm -> " COMMENT " + quote(cm)).orElse(""))
                .collect(Collectors.joining(",\n")) + "\n";
    }

    private static String properties(Map<String, String> props) {
        return new TreeMap<>(props).entrySet().stream().map(e -> "  " + quote(e.getKey()) + "=" + quote(e.getValue()))
                .collect(Collectors.joining(",\n")) + "\n";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\'' -> sb.append("\\'");
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\%03o", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('\'').toString();
    }
}
