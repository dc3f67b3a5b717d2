package io.tributary.sql.catalog;

import static java.util.Objects.requireNonNull;

import io.tributary.common.TributaryException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where and how a table's data is stored, as Hive's metastore keeps it: SerDe class, input and
 * output formats, SerDe properties (delimiters, {@code ignore.malformed.json}, ...).
 */
public record StorageDescriptor(TableFormat format, String serde, String inputFormat, String outputFormat,
        Map<String, String> serdeProperties) {
    public StorageDescriptor {
        requireNonNull(format, "format is null");
        requireNonNull(serde, "serde is null");
        requireNonNull(inputFormat, "inputFormat is null");
        requireNonNull(outputFormat, "outputFormat is null");
        serdeProperties = Map.copyOf(serdeProperties);
    }

    public static StorageDescriptor of(TableFormat format, Map<String, String> serdeProperties) {
        return new StorageDescriptor(format, format.defaultSerde(), format.inputFormat(), format.outputFormat(), serdeProperties);
    }

    /**
     * Decides the format from what DDL gave: a SerDe class wins; otherwise the input format; otherwise
     * {@code STORED AS}; with none of them Hive's default, delimited text.
     */
    public static StorageDescriptor resolve(Optional<String> serde, Optional<String> storedAs, Optional<String> inputFormat,
            Optional<String> outputFormat, Map<String, String> serdeProperties) {
        TableFormat format;
        if (serde.isPresent()) {
            format = switch (serde.get()) {
                case TableFormat.OPENX_JSON_SERDE, TableFormat.HCATALOG_JSON_SERDE -> TableFormat.JSON;
                case TableFormat.PARQUET_SERDE -> TableFormat.PARQUET;
                case TableFormat.LAZY_SIMPLE_SERDE, TableFormat.OPEN_CSV_SERDE -> TableFormat.TEXT;
                case TableFormat.ORC_SERDE -> TableFormat.ORC;
                case TableFormat.AVRO_SERDE -> TableFormat.AVRO;
                default -> throw TributaryException.invalidArgument("SerDe '%s' is not supported; use %s, %s, %s, %s or %s", serde.get(),
                        TableFormat.OPENX_JSON_SERDE, TableFormat.HCATALOG_JSON_SERDE, TableFormat.PARQUET_SERDE,
                        TableFormat.LAZY_SIMPLE_SERDE, TableFormat.OPEN_CSV_SERDE);
            };
        } else if (inputFormat.isPresent()) {
            format = switch (inputFormat.get()) {
                case TableFormat.TEXT_INPUT -> TableFormat.TEXT;
                case TableFormat.PARQUET_INPUT -> TableFormat.PARQUET;
                case TableFormat.ORC_INPUT -> TableFormat.ORC;
                case TableFormat.AVRO_INPUT -> TableFormat.AVRO;
                default -> throw TributaryException.invalidArgument("INPUTFORMAT '%s' is not supported", inputFormat.get());
            };
        } else if (storedAs.isPresent()) {
            format = switch (storedAs.get().toUpperCase(Locale.ROOT)) {
                case "PARQUET" -> TableFormat.PARQUET;
                case "TEXTFILE" -> TableFormat.TEXT;
                case "JSONFILE", "JSON" -> TableFormat.JSON;
                case "ORC" -> TableFormat.ORC;
                case "AVRO" -> TableFormat.AVRO;
                default -> throw TributaryException.invalidArgument(
                        "STORED AS %s is not supported; use PARQUET, TEXTFILE, JSONFILE, ORC or AVRO", storedAs.get());
            };
        } else {
            format = TableFormat.TEXT;
        }
        return new StorageDescriptor(format, serde.orElse(format.defaultSerde()), inputFormat.orElse(format.inputFormat()),
                outputFormat.orElse(format.outputFormat()), new TreeMap<>(serdeProperties));
    }

    public Optional<String> serdeProperty(String name) {
        return Optional.ofNullable(serdeProperties.get(name));
    }
}
