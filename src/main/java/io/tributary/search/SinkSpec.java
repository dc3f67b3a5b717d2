package io.tributary.search;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.tributary.common.Durations;
import io.tributary.common.TributaryException;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A declared stream → index sink, what the lab's UpsertToES Lambda did:
 *
 * <pre>
 * pipeline:
 *   sinks:
 *     - name: retail-search
 *       stream: retail-trans
 *       index: retail                # or with index-rotation: daily, retail-2026.11.25 ... under the alias retail
 *       required-fields: [Invoice, StockCode, Customer_ID]
 *       required-mode: any           # any (the lab's: a record with none of them is invalid) or all
 *       id: sequence                 # or lab-md5: first 8 hex of MD5("Invoice:StockCode:Customer_ID")
 *       date-fields: [InvoiceDate]
 *       date-format: "yyyy-MM-dd HH:mm:ss"   # converted to ISO-8601 UTC
 * </pre>
 *
 * Field names are kebab-case like the rest of the pipeline; the lab's snake_case names
 * ({@code required_fields}, {@code date_format}, ...) are accepted too.
 *
 * @param idFields the fields the {@code lab-md5} id hashes, joined with ':'; the required fields when empty
 * @param timeField for daily rotation, the date field that picks the index (the first date field,
 *     else the record's arrival time)
 * @param retention with daily rotation, indexes whose day is older than this are deleted
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record SinkSpec(
        String name,
        String stream,
        String index,
        @JsonAlias("index_rotation") String indexRotation,
        @JsonAlias("required_fields") List<String> requiredFields,
        @JsonAlias("required_mode") String requiredMode,
        String id,
        @JsonAlias("id_fields") List<String> idFields,
        @JsonAlias("date_fields") List<String> dateFields,
        @JsonAlias("date_format") String dateFormat,
        @JsonAlias("time_field") String timeField,
        String retention) {
    public static final String DEFAULT_DATE_FORMAT = "yyyy-MM-dd HH:mm:ss";

    public SinkSpec {
        requireNonNull(name, "every sink needs a name");
        if (!name.matches("[a-zA-Z0-9_.-]{1,100}")) {
            throw TributaryException.invalidArgument("sink name '%s' is invalid: use 1 to 100 characters from a-z, A-Z, 0-9, '_', '.' and '-'", name);
        }
        if (stream == null) {
            throw TributaryException.invalidArgument("sink '%s' needs a stream to read", name);
        }
        if (index == null) {
            throw TributaryException.invalidArgument("sink '%s' needs an index to write", name);
        }
        if (!index.matches("[a-z0-9][a-z0-9_.-]{0,200}")) {
            throw TributaryException.invalidArgument("sink '%s': index '%s' is invalid: use lowercase letters, digits, '_', '.' and '-'", name, index);
        }
        indexRotation = indexRotation == null ? "none" : indexRotation.toLowerCase(Locale.ROOT);
        if (!indexRotation.equals("none") && !indexRotation.equals("daily")) {
            throw TributaryException.invalidArgument("sink '%s': index-rotation must be none or daily, got '%s'", name, indexRotation);
        }
        requiredFields = requiredFields == null ? List.of() : List.copyOf(requiredFields);
        requiredMode = requiredMode == null ? "any" : requiredMode.toLowerCase(Locale.ROOT);
        if (!requiredMode.equals("any") && !requiredMode.equals("all")) {
            throw TributaryException.invalidArgument("sink '%s': required-mode must be any or all, got '%s'", name, requiredMode);
        }
        id = id == null ? "sequence" : id.toLowerCase(Locale.ROOT);
        if (!id.equals("sequence") && !id.equals("lab-md5")) {
            throw TributaryException.invalidArgument("sink '%s': id must be sequence (shard and sequence number, never collides) or lab-md5 "
                    + "(the lab's first 8 hex of MD5, which collides), got '%s'", name, id);
        }
        idFields = idFields == null ? List.of() : List.copyOf(idFields);
        if (id.equals("lab-md5") && idFields.isEmpty() && requiredFields.isEmpty()) {
            throw TributaryException.invalidArgument("sink '%s': id lab-md5 needs id-fields or required-fields to hash", name);
        }
        dateFields = dateFields == null ? List.of() : List.copyOf(dateFields);
        dateFormat = dateFormat == null ? DEFAULT_DATE_FORMAT : dateFormat;
        try {
            DateTimeFormatter.ofPattern(dateFormat, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw TributaryException.invalidArgument("sink '%s': date-format '%s' is not a valid pattern: %s", name, dateFormat, e.getMessage());
        }
        if (retention != null) {
            if (!indexRotation.equals("daily")) {
                throw TributaryException.invalidArgument("sink '%s': retention needs index-rotation: daily (whole daily indexes are deleted)", name);
            }
            try {
                Durations.parse(retention);
            } catch (IllegalArgumentException e) {
                throw TributaryException.invalidArgument("sink '%s': retention: %s", name, e.getMessage());
            }
        }
        if (timeField != null && !indexRotation.equals("daily")) {
            throw TributaryException.invalidArgument("sink '%s': time-field only applies with index-rotation: daily", name);
        }
    }

    public static SinkSpec of(String name, String stream, String index) {
        return new SinkSpec(name, stream, index, null, null, null, null, null, null, null, null, null);
    }

    public Optional<Duration> retentionPeriod() {
        return Optional.ofNullable(retention).map(Durations::parse);
    }

    public boolean daily() {
        return indexRotation.equals("daily");
    }

    /** The fields hashed by the lab-md5 id. */
    public List<String> hashedFields() {
        return idFields.isEmpty() ? requiredFields : idFields;
    }
}
