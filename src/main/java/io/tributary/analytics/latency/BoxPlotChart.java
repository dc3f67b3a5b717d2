package io.tributary.analytics.latency;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.BoxAndWhiskerItem;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;

/**
 * The latency box plot: one panel per leg in a two-column grid, one box per provider, a log-scale
 * y axis with millisecond ticks (1, 2, 5, 10, …, 1000 ms), the number of observations under each
 * box, and a title and legend kept inside the picture. Renders headless.
 */
final class BoxPlotChart {
    private static final Color[] PALETTE = {new Color(0x66c2a5), new Color(0xfc8d62), new Color(0x8da0cb), new Color(0xe78ac3),
            new Color(0xa6d854), new Color(0xffd92f)};
    /** The seed's ticks (1 ms to 1 s), extended both ways when the data goes beyond them. */
    private static final double[] TICKS = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000,
            2000, 5000, 10000, 20000, 50000, 100000};
    private static final int PANEL_WIDTH = 640;
    private static final int PANEL_HEIGHT = 440;
    private static final int TITLE_HEIGHT = 80;
    private static final int LEGEND_HEIGHT = 70;
    private static final int MARGIN = 20;

    private BoxPlotChart() {}

    /**
     * @param boxes by leg, then provider label; a provider without that leg is absent
     * @param outliers the same keys: points beyond the whiskers to draw
     */
    static byte[] render(String title, List<String> legs, List<String> providers, Map<String, Map<String, BoxStats>> boxes,
            Map<String, Map<String, double[]>> outliers) {
        int columns = 2;
        int rows = (legs.size() + columns - 1) / columns;
        int width = columns * PANEL_WIDTH + 2 * MARGIN;
        int height = TITLE_HEIGHT + rows * PANEL_HEIGHT + LEGEND_HEIGHT + MARGIN;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);

            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
            centered(g, title, width / 2, 40);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            centered(g, "Time delay per leg (log scale, milliseconds); n = observations per box", width / 2, 64);

            double[] range = range(boxes, outliers);
            for (int i = 0; i < legs.size(); i++) {
                String leg = legs.get(i);
                JFreeChart chart = panel(leg, providers, boxes.getOrDefault(leg, Map.of()), outliers.getOrDefault(leg, Map.of()), range);
                int x = MARGIN + (i % columns) * PANEL_WIDTH;
                int y = TITLE_HEIGHT + (i / columns) * PANEL_HEIGHT;
                org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
                chart.draw(g, new Rectangle2D.Double(x, y, PANEL_WIDTH, PANEL_HEIGHT), info);
                overlay(g, chart, info.getPlotInfo().getDataArea(), providers, boxes.getOrDefault(leg, Map.of()),
                        outliers.getOrDefault(leg, Map.of()));
            }
            legend(g, providers, width, TITLE_HEIGHT + rows * PANEL_HEIGHT + 20);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static JFreeChart panel(String leg, List<String> providers, Map<String, BoxStats> boxes, Map<String, double[]> outliers,
            double[] range) {
        DefaultBoxAndWhiskerCategoryDataset dataset = new DefaultBoxAndWhiskerCategoryDataset();
        List<String> absent = new ArrayList<>();
        List<Paint> colors = new ArrayList<>();
        for (int i = 0; i < providers.size(); i++) {
            String provider = providers.get(i);
            BoxStats box = boxes.get(provider);
            if (box == null || box.n() == 0) {
                absent.add(provider);
                continue;
            }
            colors.add(PALETTE[i % PALETTE.length]);
            String label = provider + "\n(n = " + box.n() + ")";
            // Outliers are drawn by overlay() as small points: JFreeChart merges nearby ones into large averaged circles.
            dataset.add(new BoxAndWhiskerItem(box.mean(), box.median(), box.q1(), box.q3(), box.whiskerLow(), box.whiskerHigh(),
                    box.whiskerLow(), box.whiskerHigh(), List.of()), "boxes", label);
        }
        BoxAndWhiskerRenderer renderer = new BoxAndWhiskerRenderer() {
            private static final long serialVersionUID = 1L;

            @Override
            public Paint getItemPaint(int row, int column) {
                return colors.get(column);
            }
        };
        renderer.setMeanVisible(false);
        renderer.setMedianVisible(true);
        renderer.setFillBox(true);
        renderer.setUseOutlinePaintForWhiskers(true);
        renderer.setDefaultOutlinePaint(new Color(0x444444));
        renderer.setDefaultOutlineStroke(new BasicStroke(1.2f));
        renderer.setMaxOutlierVisible(false);
        renderer.setMinOutlierVisible(false);
        renderer.setMaximumBarWidth(0.35);
        renderer.setWhiskerWidth(0.5);

        CategoryAxis x = new CategoryAxis("Cloud service provider");
        x.setMaximumCategoryLabelLines(2);
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        x.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        LogAxis y = new MillisecondLogAxis("Time delay (ms, log scale)");
        y.setRange(range[0], range[1]);
        y.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        y.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        CategoryPlot plot = new CategoryPlot(dataset, x, y, renderer);
        plot.setBackgroundPaint(new Color(0xf4f4f6));
        plot.setRangeGridlinePaint(new Color(0xcccccc));
        plot.setRangeGridlinesVisible(true);
        plot.setOutlineVisible(false);
        JFreeChart chart = new JFreeChart(leg, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, false);
        if (!absent.isEmpty()) {
            org.jfree.chart.title.TextTitle note = new org.jfree.chart.title.TextTitle(
                    String.join(" and ", absent) + (absent.size() == 1 ? " has" : " have") + " no " + leg,
                    new Font(Font.SANS_SERIF, Font.ITALIC, 12));
            note.setPaint(new Color(0x666666));
            chart.addSubtitle(note);
        }
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new org.jfree.chart.ui.RectangleInsets(8, 8, 8, 8));
        return chart;
    }

    /** Draws each box's outliers as small translucent points on its centre line, as seaborn does. */
    private static void overlay(Graphics2D g, JFreeChart chart, Rectangle2D dataArea, List<String> providers,
            Map<String, BoxStats> boxes, Map<String, double[]> outliers) {
        CategoryPlot plot = chart.getCategoryPlot();
        int categories = plot.getDataset().getColumnCount();
        int column = 0;
        for (int i = 0; i < providers.size(); i++) {
            BoxStats box = boxes.get(providers.get(i));
            if (box == null || box.n() == 0) {
                continue;
            }
            double cx = plot.getDomainAxis().getCategoryMiddle(column++, categories, dataArea, RectangleEdge.BOTTOM);
            Color base = PALETTE[i % PALETTE.length].darker();
            g.setColor(new Color(base.getRed(), base.getGreen(), base.getBlue(), 150));
            for (double v : outliers.getOrDefault(providers.get(i), new double[0])) {
                if (v <= 0 || v < plot.getRangeAxis().getLowerBound() || v > plot.getRangeAxis().getUpperBound()) {
                    continue;
                }
                double cy = plot.getRangeAxis().valueToJava2D(v, dataArea, RectangleEdge.LEFT);
                g.fill(new java.awt.geom.Ellipse2D.Double(cx - 3, cy - 3, 6, 6));
            }
        }
    }

    /** One y range for every panel, so the panels compare at a glance. */
    private static double[] range(Map<String, Map<String, BoxStats>> boxes, Map<String, Map<String, double[]>> outliers) {
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (Map<String, BoxStats> byProvider : boxes.values()) {
            for (BoxStats b : byProvider.values()) {
                if (b.n() > 0 && b.whiskerLow() > 0) {
                    low = Math.min(low, b.whiskerLow());
                }
                high = Math.max(high, b.whiskerHigh());
            }
        }
        for (Map<String, double[]> byProvider : outliers.values()) {
            for (double[] values : byProvider.values()) {
                for (double v : values) {
                    if (v > 0) {
                        low = Math.min(low, v);
                        high = Math.max(high, v);
                    }
                }
            }
        }
        if (low == Double.POSITIVE_INFINITY) {
            return new double[] {1, 1000};
        }
        double lower = TICKS[0];
        for (double t : TICKS) {
            if (t <= low) {
                lower = t;
            }
        }
        double upper = TICKS[TICKS.length - 1];
        for (int i = TICKS.length - 1; i >= 0; i--) {
            if (TICKS[i] >= high) {
                upper = TICKS[i];
            }
        }
        return new double[] {Math.min(lower, 1), Math.max(upper, 1000)};
    }

    private static void legend(Graphics2D g, List<String> providers, int width, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        String heading = "Cloud service provider:";
        FontMetrics fm = g.getFontMetrics();
        int total = fm.stringWidth(heading) + 20;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        FontMetrics plain = g.getFontMetrics();
        for (String p : providers) {
            total += 28 + plain.stringWidth(p) + 24;
        }
        int x = (width - total) / 2;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(heading, x, y + 18);
        x += fm.stringWidth(heading) + 20;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        for (int i = 0; i < providers.size(); i++) {
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(x, y + 4, 20, 18);
            g.setColor(new Color(0x444444));
            g.drawRect(x, y + 4, 20, 18);
            g.setColor(Color.BLACK);
            g.drawString(providers.get(i), x + 28, y + 18);
            x += 28 + plain.stringWidth(providers.get(i)) + 24;
        }
    }

    private static void centered(Graphics2D g, String text, int x, int y) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
    }

    /** A log axis whose ticks are the round millisecond values people read off such plots. */
    private static final class MillisecondLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;
        private static final DecimalFormat FORMAT = new DecimalFormat("#,##0.###");

        MillisecondLogAxis(String label) {
            super(label);
        }

        @Override
        protected List<ValueTick> refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            List<ValueTick> ticks = new ArrayList<>();
            for (double t : TICKS) {
                if (t >= getLowerBound() && t <= getUpperBound()) {
                    ticks.add(new NumberTick(org.jfree.chart.axis.TickType.MAJOR, t, FORMAT.format(t) + " ms", TextAnchor.CENTER_RIGHT,
                            TextAnchor.CENTER_RIGHT, 0.0));
                }
            }
            return ticks;
        }

        @Override
        public List<ValueTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            return refreshTicksVertical(g2, dataArea, edge);
        }
    }
}
