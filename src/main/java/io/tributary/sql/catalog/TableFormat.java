package io.tributary.sql.catalog;

/**
 * How a table's files are read, decided from its SerDe, input format or {@code STORED AS}. ORC and
 * Avro tables can be declared (as in Athena) but not yet read: queries on them are refused by name.
 */
public enum TableFormat {
    /** One JSON object per line: OpenX and HCatalog JSON SerDes. */
    JSON,
    PARQUET,
    /** Delimited text: LazySimpleSerDe (CSV, TSV, Hive's ^A default) and OpenCSVSerde. */
    TEXT,
    ORC,
    AVRO;

    public static final String OPENX_JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe";
    public static final String HCATALOG_JSON_SERDE = "org.apache.hive.hcatalog.data.JsonSerDe";
    public static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    public static final String LAZY_SIMPLE_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
    public static final String OPEN_CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde";
    public static final String ORC_SERDE = "org.apache.hadoop.hive.ql.io.orc.OrcSerde";
    public static final String AVRO_SERDE = "org.apache.hadoop.hive.serde2.avro.AvroSerDe";
    public static final String TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
    public static final String TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
    public static final String PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    public static final String PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    public static final String ORC_INPUT = "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat";
    public static final String ORC_OUTPUT = "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat";
    public static final String AVRO_INPUT = "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat";
    public static final String AVRO_OUTPUT = "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat";

    /** The SerDe Hive uses for {@code STORED AS <this>} without a ROW FORMAT. */
    public String defaultSerde() {
        return switch (this) {
            case JSON -> OPENX_JSON_SERDE;
            case PARQUET -> PARQUET_SERDE;
            case TEXT -> LAZY_SIMPLE_SERDE;
            case ORC -> ORC_SERDE;
            case AVRO -> AVRO_SERDE;
        };
    }

    public String inputFormat() {
        return switch (this) {
            case JSON, TEXT -> TEXT_INPUT;
            case PARQUET -> PARQUET_INPUT;
            case ORC -> ORC_INPUT;
            case AVRO -> AVRO_INPUT;
        };
    }

    public String outputFormat() {
        return switch (this) {
            case JSON, TEXT -> TEXT_OUTPUT;
            case PARQUET -> PARQUET_OUTPUT;
            case ORC -> ORC_OUTPUT;
            case AVRO -> AVRO_OUTPUT;
        };
    }
}
