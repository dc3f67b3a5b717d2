package io.tributary.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.lake.Location;
import io.tributary.sql.parser.ScriptSplitter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabQuickTest {
    @TempDir
    Path dir;

    @Test
    void labWalkthroughOnHandMadeData() throws Exception {
        String bucket = "aws-analytics-immersion-day-xxxxxxxx";
        try (SqlStack stack = new SqlStack(dir, bucket)) {
            stack.lake.put(Location.parse("s3://" + bucket + "/json-data/year=2026/month=11/day=25/hour=01/a.json"),
                    ("{\"Invoice\":\"1\",\"StockCode\":\"x\",\"Description\":\"d\",\"Quantity\":2,\"InvoiceDate\":\"2010-01-02 10:30:00\","
                            + "\"Price\":2.5,\"Customer_ID\":\"12.0\",\"Country\":\"UK\"}\n").getBytes(StandardCharsets.UTF_8));
            String script = new String(getClass().getResourceAsStream("/athena-lab/01-lab-walkthrough.sql").readAllBytes(), StandardCharsets.UTF_8);
            List<String> statements = ScriptSplitter.split(script);
            for (String s : statements) {
                QueryExecution e = stack.run(s, "mydatabase");
                System.out.println(e.state() + " " + e.stateReason().orElse("") + " " + e.substatementType());
                assertThat(e.state()).as(s).isEqualTo(QueryState.SUCCEEDED);
            }
            for (String[] row : stack.rows("SELECT * FROM retail_trans_json LIMIT 10", "mydatabase")) {
                System.out.println(String.join(" | ", row));
            }
        }
    }
}
