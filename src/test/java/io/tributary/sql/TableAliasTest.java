package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table aliases, with and without a column list, in FROM, joins and comma joins. */
class TableAliasTest {
    @TempDir
    static Path dir;
    static SqlStack stack;

    @BeforeAll
    static void start() {
        stack = new SqlStack(dir);
        stack.rows("CREATE VIEW v AS SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) AS t(n, s)", "default");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aPlainAliasNamesTheRelation() {
        assertThat(stack.column("SELECT a.n FROM v a ORDER BY a.n")).containsExactly("1", "2", "3");
        assertThat(stack.column("SELECT x.n FROM v AS x WHERE x.s = 'b'")).containsExactly("2");
    }

    @Test
    void aliasesInJoinsAndCommaJoins() {
        assertThat(stack.column("SELECT count(*) FROM v a CROSS JOIN v b")).containsExactly("9");
        assertThat(stack.column("SELECT count(*) FROM v a, v AS b WHERE a.n < b.n")).containsExactly("3");
        assertThat(stack.column("SELECT count(*) FROM v a JOIN v b ON a.n = b.n")).containsExactly("3");
    }

    @Test
    void anAliasWithAColumnListRenamesTheColumns() {
        assertThat(stack.column("SELECT k FROM v AS t(k, label) WHERE label = 'c'")).containsExactly("3");
    }
}
