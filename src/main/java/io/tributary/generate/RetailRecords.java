package io.tributary.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tributary.common.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Retail transactions shaped like the original lab's generator and the Online Retail II data set:
 * {@code Invoice} (6 digits), {@code StockCode} (5 digits and a letter), {@code Description} (real
 * product names), {@code Quantity} (1–10), {@code InvoiceDate} ({@code yyyy-MM-dd HH:mm:ss}, UTC),
 * {@code Price} (0.10–100.00), {@code Customer_ID} (5 digits), {@code Country} (weighted as in the
 * real data). The same seed gives the same sequence of records.
 *
 * <p>Not thread-safe: one instance per generating thread.
 */
public final class RetailRecords {
    public static final DateTimeFormatter INVOICE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final List<String> PRODUCTS = load("retail-products.txt");
    private static final List<String> COUNTRIES = new ArrayList<>();
    private static final long[] COUNTRY_WEIGHTS;

    static {
        List<String> lines = load("retail-countries.tsv");
        COUNTRY_WEIGHTS = new long[lines.size()];
        long total = 0;
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = lines.get(i).split("\t");
            COUNTRIES.add(parts[0]);
            total += Long.parseLong(parts[1]);
            COUNTRY_WEIGHTS[i] = total;
        }
    }

    private final SplittableRandom random;

    public RetailRecords(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next record as JSON bytes (no trailing newline), dated at the given instant. */
    public byte[] next(Instant invoiceDate) {
        int product = random.nextInt(PRODUCTS.size());
        String description = PRODUCTS.get(product);
        ByteArrayOutputStream out = new ByteArrayOutputStream(200);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("Invoice", digits(6));
            g.writeStringField("StockCode", stockCode(description));
            g.writeStringField("Description", description);
            g.writeNumberField("Quantity", 1 + random.nextInt(10));
            g.writeStringField("InvoiceDate", INVOICE_DATE.format(invoiceDate));
            g.writeNumberField("Price", (10 + random.nextInt(9991)) / 100.0);
            g.writeStringField("Customer_ID", digits(5));
            g.writeStringField("Country", country());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The partition key the lab's producer uses: the invoice number. */
    public static String partitionKey(byte[] record) {
        int start = indexOf(record, "\"Invoice\":\"") + 11;
        return new String(record, start, 6, StandardCharsets.US_ASCII);
    }

    private String digits(int count) {
        char[] c = new char[count];
        for (int i = 0; i < count; i++) {
            c[i] = (char) ('0' + random.nextInt(10));
        }
        return new String(c);
    }

    /** A product keeps its stock code, as in a real catalogue: derived from its description. */
    private static String stockCode(String description) {
        int h = description.hashCode() & 0x7fffffff;
        return String.format("%05d%c", h % 100_000, (char) ('A' + (h / 100_000) % 26));
    }

    private String country() {
        long pick = random.nextLong(COUNTRY_WEIGHTS[COUNTRY_WEIGHTS.length - 1]);
        for (int i = 0; i < COUNTRY_WEIGHTS.length; i++) {
            if (pick < COUNTRY_WEIGHTS[i]) {
                return COUNTRIES.get(i);
            }
        }
        return COUNTRIES.get(COUNTRIES.size() - 1);
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i <= haystack.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("record has no Invoice field");
    }

    private static List<String> load(String resource) {
        try (InputStream in = RetailRecords.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        lines.add(line);
                    }
                }
            }
            return List.copyOf(lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
