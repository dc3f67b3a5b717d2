package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.auth.Authorizer;
import io.tributary.auth.Principal;
import io.tributary.common.Json;
import io.tributary.common.TributaryException;
import io.tributary.pipeline.PipelineSpec;
import io.tributary.sql.catalog.TableName;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables declared under pipeline.tables: created once, replaced when their DDL changes, pruned only when declared. */
class TableDeclarationsTest {
    @TempDir
    Path dir;

    static final String DDL = "CREATE EXTERNAL TABLE IF NOT EXISTS shop.sales (item string, amount double) PARTITIONED BY (day int) "
            + "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/sales/'";

    @Test
    void applyIsIdempotentAndPruneDropsOnlyDeclaredTables() {
        try (SqlStack stack = new SqlStack(dir, "lake")) {
            TableDeclarations declarations = new TableDeclarations(stack.service, new Authorizer(), Clock.systemUTC());
            Principal p = Principal.anonymous();
            List<TableDeclaration> declared = List.of(new TableDeclaration(DDL, Optional.of("sales-delivery")));
            assertThat(declarations.apply(declared, false, p)).extracting(TableDeclarations.Change::action).containsExactly("CREATED");
            assertThat(declarations.apply(declared, false, p)).extracting(TableDeclarations.Change::action).containsExactly("UNCHANGED");
            assertThat(stack.catalog.linkedTables("sales-delivery")).containsExactly(new TableName("shop", "sales"));

            stack.run("ALTER TABLE shop.sales ADD PARTITION (day=1)", "default");
            List<TableDeclaration> changed = List.of(new TableDeclaration(DDL.replace("amount double", "amount double, note string"),
                    Optional.of("sales-delivery")));
            assertThat(declarations.apply(changed, false, p)).extracting(TableDeclarations.Change::action).containsExactly("UPDATED");
            assertThat(stack.catalog.partitions(new TableName("shop", "sales"))).hasSize(1);
            assertThat(stack.catalog.requireTable(new TableName("shop", "sales")).columns()).hasSize(3);

            stack.run("CREATE EXTERNAL TABLE shop.by_hand (a string) LOCATION 's3://lake/by-hand/'", "default");
            assertThat(declarations.apply(List.of(), true, p)).extracting(TableDeclarations.Change::action).containsExactly("DELETED");
            assertThat(stack.catalog.relation(new TableName("shop", "sales"))).isEmpty();
            assertThat(stack.catalog.relation(new TableName("shop", "by_hand"))).isPresent();
        }
    }

    @Test
    void declarationsAreCheckedWhenTheFileIsRead() throws Exception {
        PipelineSpec spec = PipelineSpec.parse(Json.yaml().readTree("tables:\n  - ddl: |\n      " + DDL + "\n    delivery-stream: d\n"));
        assertThat(spec.tables()).hasSize(1);
        assertThat(spec.tables().get(0).name()).isEqualTo(new TableName("shop", "sales"));
        assertThatThrownBy(() -> PipelineSpec.parse(Json.yaml().readTree("tables:\n  - ddl: SELECT 1\n")))
                .isInstanceOf(TributaryException.class).hasMessageContaining("CREATE EXTERNAL TABLE");
        assertThatThrownBy(() -> PipelineSpec.parse(Json.yaml().readTree("tables:\n  - ddl: CREATE EXTERNAL TABLE t (a int) LOCATION 's3://b/x/'\n")))
                .isInstanceOf(TributaryException.class).hasMessageContaining("must name its database");
        assertThatThrownBy(() -> PipelineSpec.parse(Json.yaml().readTree("tables:\n  - ddl: x\n    stream: d\n")))
                .isInstanceOf(TributaryException.class).hasMessageContaining("unknown field 'stream'");
    }
}
