package io.tributary.search.lucene;

import java.io.IOException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.search.FieldComparator;
import org.apache.lucene.search.FieldComparatorSource;
import org.apache.lucene.search.LeafFieldComparator;
import org.apache.lucene.search.Pruning;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.comparators.DoubleComparator;
import org.apache.lucene.search.comparators.FloatComparator;
import org.apache.lucene.search.comparators.LongComparator;
import org.apache.lucene.util.NumericUtils;

/**
 * A sort on a numeric field whose documents' several values are reduced to one by the sort's
 * {@code mode}: {@code sum}, {@code avg} or {@code median}, as OpenSearch's MultiValueMode does
 * (whole-number fields round the average and median to the nearest whole number). {@code min}
 * and {@code max} need no reduction; Lucene's selectors do them.
 *
 * <p>Immutable; the comparators it makes are per search.
 */
final class ModeSortField extends SortField {
    enum Mode {
        SUM,
        AVG,
        MEDIAN,
    }

    private final Type numericType;

    /** The type the sort values have ({@code LONG}, {@code DOUBLE} or {@code FLOAT}). */
    Type numericType() {
        return numericType;
    }

    private record Source(Type type, Mode mode, Number missing) {}

    private static final class Comparators extends FieldComparatorSource {
        private final Source source;

        Comparators(Source source) {
            this.source = source;
        }

        @Override
        public FieldComparator<?> newComparator(String field, int numHits, Pruning pruning, boolean reversed) {
            // No pruning: a reduced value is not a point in the field's index, so the points cannot skip documents.
            return switch (source.type()) {
                case LONG -> new LongComparator(numHits, field, (Long) source.missing(), reversed, Pruning.NONE) {
                    @Override
                    public LeafFieldComparator getLeafComparator(LeafReaderContext context) throws IOException {
                        return new LongLeafComparator(context) {
                            @Override
                            protected NumericDocValues getNumericDocValues(LeafReaderContext ctx, String f) throws IOException {
                                return reduce(DocValues.getSortedNumeric(ctx.reader(), f), source);
                            }
                        };
                    }
                };
                case DOUBLE -> new DoubleComparator(numHits, field, (Double) source.missing(), reversed, Pruning.NONE) {
                    @Override
                    public LeafFieldComparator getLeafComparator(LeafReaderContext context) throws IOException {
                        return new DoubleLeafComparator(context) {
                            @Override
                            protected NumericDocValues getNumericDocValues(LeafReaderContext ctx, String f) throws IOException {
                                return reduce(DocValues.getSortedNumeric(ctx.reader(), f), source);
                            }
                        };
                    }
                };
                case FLOAT -> new FloatComparator(numHits, field, (Float) source.missing(), reversed, Pruning.NONE) {
                    @Override
                    public LeafFieldComparator getLeafComparator(LeafReaderContext context) throws IOException {
                        return new FloatLeafComparator(context) {
                            @Override
                            protected NumericDocValues getNumericDocValues(LeafReaderContext ctx, String f) throws IOException {
                                return reduce(DocValues.getSortedNumeric(ctx.reader(), f), source);
                            }
                        };
                    }
                };
                default -> throw new IllegalArgumentException("not a numeric sort type: " + source.type());
            };
        }
    }

    private ModeSortField(String field, Source source, boolean reverse) {
        super(field, new Comparators(source), reverse);
        this.numericType = source.type();
    }

    /** @param numericType {@code LONG}, {@code DOUBLE} or {@code FLOAT}, how the field's doc values are encoded */
    static ModeSortField of(String field, Type numericType, Mode mode, boolean reverse, Number missing) {
        return new ModeSortField(field, new Source(numericType, mode, missing), reverse);
    }

    /** One value per document from its sorted values, encoded as the field's doc values are. */
    private static NumericDocValues reduce(SortedNumericDocValues values, Source source) {
        return new NumericDocValues() {
            private long value;

            @Override
            public long longValue() {
                return value;
            }

            @Override
            public boolean advanceExact(int target) throws IOException {
                if (!values.advanceExact(target)) {
                    return false;
                }
                value = compute(values, source);
                return true;
            }

            @Override
            public int docID() {
                return values.docID();
            }

            @Override
            public int nextDoc() throws IOException {
                int doc = values.nextDoc();
                if (doc != NO_MORE_DOCS) {
                    value = compute(values, source);
                }
                return doc;
            }

            @Override
            public int advance(int target) throws IOException {
                int doc = values.advance(target);
                if (doc != NO_MORE_DOCS) {
                    value = compute(values, source);
                }
                return doc;
            }

            @Override
            public long cost() {
                return values.cost();
            }
        };
    }

    private static long compute(SortedNumericDocValues values, Source source) throws IOException {
        int n = values.docValueCount();
        double[] v = new double[n];
        long[] raw = new long[n];
        for (int i = 0; i < n; i++) {
            raw[i] = values.nextValue();
            v[i] = switch (source.type()) {
                case DOUBLE -> NumericUtils.sortableLongToDouble(raw[i]);
                case FLOAT -> NumericUtils.sortableIntToFloat((int) raw[i]);
                default -> raw[i];
            };
        }
        if (source.type() == Type.LONG) {
            return switch (source.mode()) {
                case SUM -> sum(raw);
                case AVG -> n > 1 ? Math.round((double) sum(raw) / n) : raw[0];
                case MEDIAN -> n % 2 == 1 ? raw[n / 2] : Math.round((raw[n / 2 - 1] + raw[n / 2]) / 2.0);
            };
        }
        double r = switch (source.mode()) {
            case SUM -> sum(v);
            case AVG -> sum(v) / n;
            case MEDIAN -> n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        };
        return source.type() == Type.FLOAT ? NumericUtils.floatToSortableInt((float) r) : NumericUtils.doubleToSortableLong(r);
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long x : values) {
            s += x;
        }
        return s;
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double x : values) {
            s += x;
        }
        return s;
    }
}
