package io.tributary.sql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a script into statements at semicolons outside strings, quoted identifiers and comments,
 * for files of statements (the lab's .sql files, pipeline declarations, the shell). Strings follow
 * the statement's dialect, as {@link StatementParser} reads them: in Hive DDL a backslash escapes
 * the next character ({@code 'it\'s'}); elsewhere it is an ordinary character ({@code ESCAPE '\'}).
 */
public final class ScriptSplitter {
    private static final Pattern HIVE_DDL = Pattern.compile("(?is)(ALTER|DROP|SHOW|DESCRIBE|DESC|MSCK|USE)\\b|CREATE\\s+(EXTERNAL|DATABASE|SCHEMA)\\b");
    private static final Pattern LEADING_COMMENTS = Pattern.compile("^(\\s+|--[^\\n]*(\\n|$)|/\\*.*?(\\*/|$))+", Pattern.DOTALL);

    private ScriptSplitter() {}

    public static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        Boolean hive = null;
        int i = 0;
        while (i < script.length()) {
            char c = script.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                if (hive == null) {
                    // Decided once per statement, at its first quote: its first words are known by then.
                    hive = HIVE_DDL.matcher(LEADING_COMMENTS.matcher(current).replaceFirst("")).lookingAt();
                }
                boolean escapes = c != '`' && hive;
                int end = i + 1;
                while (end < script.length()) {
                    if (escapes && script.charAt(end) == '\\') {
                        end += 2;
                        continue;
                    }
                    if (script.charAt(end) == c) {
                        if (end + 1 < script.length() && script.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                end = Math.min(end + 1, script.length());
                current.append(script, i, end);
                i = end;
            } else if (c == '-' && script.startsWith("--", i)) {
                int end = script.indexOf('\n', i);
                end = end < 0 ? script.length() : end;
                current.append(script, i, end);
                i = end;
            } else if (c == '/' && script.startsWith("/*", i)) {
                int end = script.indexOf("*/", i + 2);
                end = end < 0 ? script.length() : end + 2;
                current.append(script, i, end);
                i = end;
            } else if (c == ';') {
                add(out, current);
                current.setLength(0);
                hive = null;
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder statement) {
        String s = statement.toString().strip();
        if (!s.isEmpty() && !onlyComments(s)) {
            out.add(s);
        }
    }

    private static boolean onlyComments(String s) {
        return s.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("--"));
    }
}
