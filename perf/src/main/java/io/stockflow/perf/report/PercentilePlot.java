package io.stockflow.perf.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws latency percentile distributions as a standalone SVG file: one line per
 * histogram (engine and its baselines), percentile on a log axis
 * ({@code 0%, 90%, 99%, 99.9%, ...}, i.e. {@code log10(1 / (1 - p))}) so the tail gets as
 * much room as the median, latency in microseconds on a log axis. Written by hand, so
 * the perf module needs no plotting library; any browser opens the file.
 */
public final class PercentilePlot
{
    private static final int WIDTH = 960;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 210;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final int MAX_DECADES = 6;
    /** Line colours, shared with {@link RunPlot} so the plots of one report look alike. */
    static final String[] COLOURS = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
        "#e377c2", "#7f7f7f"};

    private final String title;
    private final Map<String, Histogram> series = new LinkedHashMap<>();

    /** @param title the plot's title, e.g. the rate and the date. */
    public PercentilePlot(final String title)
    {
        this.title = title;
    }

    /**
     * @param name      the legend entry.
     * @param histogram nanosecond values.
     * @return this.
     */
    public PercentilePlot add(final String name, final Histogram histogram)
    {
        series.put(name, histogram);
        return this;
    }

    /**
     * @param file the SVG file to write (replaced).
     * @throws IOException when it cannot be written.
     */
    public void writeTo(final Path file) throws IOException
    {
        Files.writeString(file, toSvg(), StandardCharsets.UTF_8);
    }

    /** @return the plot as an SVG document. */
    public String toSvg()
    {
        final Map<String, List<double[]>> points = new LinkedHashMap<>();
        int decades = 1;
        double minMicros = Double.MAX_VALUE;
        double maxMicros = 0;
        for (final Map.Entry<String, Histogram> entry : series.entrySet())
        {
            final Histogram histogram = entry.getValue();
            if (histogram.getTotalCount() == 0)
            {
                continue;
            }
            decades = Math.max(decades, Math.min(MAX_DECADES,
                (int)Math.ceil(Math.log10(Math.max(10, histogram.getTotalCount())))));
            final List<double[]> line = new ArrayList<>();
            for (final HistogramIterationValue value : histogram.percentiles(5))
            {
                final double micros = Math.max(0.01, value.getValueIteratedTo() / 1000.0);
                line.add(new double[] {value.getPercentileLevelIteratedTo(), micros});
                minMicros = Math.min(minMicros, micros);
                maxMicros = Math.max(maxMicros, micros);
            }
            points.put(entry.getKey(), line);
        }
        if (points.isEmpty())
        {
            minMicros = 1;
            maxMicros = 10;
        }
        final double yLow = Math.floor(Math.log10(minMicros));
        final double yHigh = Math.max(yLow + 1, Math.ceil(Math.log10(maxMicros)));
        final Axes axes = new Axes(decades, yLow, yHigh);
        final StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
            .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
            .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
            .append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
            .append("\" fill=\"white\"/>\n")
            .append("<text x=\"").append(WIDTH / 2).append("\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">")
            .append(escape(title)).append("</text>\n");
        grid(svg, axes);
        int colour = 0;
        int legendY = TOP + 10;
        for (final Map.Entry<String, List<double[]>> entry : points.entrySet())
        {
            final String stroke = COLOURS[colour++ % COLOURS.length];
            svg.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"2\" points=\"");
            for (final double[] point : entry.getValue())
            {
                svg.append(format(axes.x(point[0]))).append(',').append(format(axes.y(point[1]))).append(' ');
            }
            svg.append("\"/>\n");
            final int legendX = WIDTH - RIGHT + 20;
            svg.append("<line x1=\"").append(legendX).append("\" y1=\"").append(legendY).append("\" x2=\"")
                .append(legendX + 24).append("\" y2=\"").append(legendY).append("\" stroke=\"").append(stroke)
                .append("\" stroke-width=\"3\"/>\n")
                .append("<text x=\"").append(legendX + 30).append("\" y=\"").append(legendY + 4).append("\">")
                .append(escape(entry.getKey())).append("</text>\n");
            legendY += 20;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void grid(final StringBuilder svg, final Axes axes)
    {
        final int plotRight = WIDTH - RIGHT;
        final int plotBottom = HEIGHT - BOTTOM;
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
            .append(plotRight - LEFT).append("\" height=\"").append(plotBottom - TOP)
            .append("\" fill=\"none\" stroke=\"black\"/>\n");
        for (int decade = 0; decade <= axes.decades; decade++)
        {
            final double x = LEFT + (plotRight - LEFT) * decade / (double)axes.decades;
            svg.append("<line x1=\"").append(format(x)).append("\" y1=\"").append(TOP).append("\" x2=\"")
                .append(format(x)).append("\" y2=\"").append(plotBottom).append("\" stroke=\"#dddddd\"/>\n")
                .append("<text x=\"").append(format(x)).append("\" y=\"").append(plotBottom + 18)
                .append("\" text-anchor=\"middle\">").append(percentileLabel(decade)).append("</text>\n");
        }
        for (int power = (int)axes.yLow; power <= (int)axes.yHigh; power++)
        {
            final double y = axes.y(Math.pow(10, power));
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(format(y)).append("\" x2=\"")
                .append(plotRight).append("\" y2=\"").append(format(y)).append("\" stroke=\"#dddddd\"/>\n")
                .append("<text x=\"").append(LEFT - 8).append("\" y=\"").append(format(y + 4))
                .append("\" text-anchor=\"end\">").append(microsLabel(power)).append("</text>\n");
        }
        svg.append("<text x=\"").append((LEFT + plotRight) / 2).append("\" y=\"").append(HEIGHT - 18)
            .append("\" text-anchor=\"middle\">percentile (log scale)</text>\n")
            .append("<text x=\"18\" y=\"").append((TOP + plotBottom) / 2)
            .append("\" text-anchor=\"middle\" transform=\"rotate(-90 18 ").append((TOP + plotBottom) / 2)
            .append(")\">latency, µs (log scale)</text>\n");
    }

    private static String percentileLabel(final int decade)
    {
        if (decade == 0)
        {
            return "0%";
        }
        if (decade == 1)
        {
            return "90%";
        }
        final StringBuilder label = new StringBuilder("99");
        if (decade > 2)
        {
            label.append('.');
            for (int i = 2; i < decade; i++)
            {
                label.append('9');
            }
        }
        return label.append('%').toString();
    }

    private static String microsLabel(final int power)
    {
        final double value = Math.pow(10, power);
        return value >= 1 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%s", value);
    }

    /** @param value an SVG coordinate. @return it with one decimal, whatever the locale. */
    static String format(final double value)
    {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** @param text text for an SVG element or attribute. @return it with XML's special characters escaped. */
    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Maps percentiles and microseconds to SVG coordinates. */
    private static final class Axes
    {
        private final int decades;
        private final double yLow;
        private final double yHigh;

        Axes(final int decades, final double yLow, final double yHigh)
        {
            this.decades = decades;
            this.yLow = yLow;
            this.yHigh = yHigh;
        }

        double x(final double percentile)
        {
            final double remaining = Math.max(Math.pow(10, -decades), 1 - percentile / 100.0);
            final double position = Math.min(decades, -Math.log10(remaining));
            return LEFT + (WIDTH - RIGHT - LEFT) * position / decades;
        }

        double y(final double micros)
        {
            final double position = (Math.log10(micros) - yLow) / (yHigh - yLow);
            return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * position;
        }
    }
}
