package io.stockflow.perf.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws figures sampled over a run as a standalone SVG file: one line per figure against
 * the same x values, on two linear y axes from zero (left and right) so that figures in
 * different units (bytes, orders) share one plot and a flat line reads as flat. Written by
 * hand like {@link PercentilePlot}, whose colours and escaping it shares.
 */
public final class RunPlot
{
    private static final int WIDTH = 960;
    private static final int HEIGHT = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 300;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final int TICKS = 5;

    private final String title;
    private final String xLabel;
    private final String leftLabel;
    private final String rightLabel;
    private final double[] x;
    private final List<Series> series = new ArrayList<>();

    /**
     * @param title      the plot's title.
     * @param xLabel     what x is, e.g. {@code events (millions)}.
     * @param leftLabel  the left axis's unit.
     * @param rightLabel the right axis's unit.
     * @param x          the x value of each sample.
     */
    public RunPlot(
        final String title, final String xLabel, final String leftLabel, final String rightLabel, final double[] x)
    {
        this.title = title;
        this.xLabel = xLabel;
        this.leftLabel = leftLabel;
        this.rightLabel = rightLabel;
        this.x = x.clone();
    }

    /**
     * @param name   the legend entry.
     * @param values one value per x; negative values (not measured) are left out.
     * @param right  true to read it on the right axis.
     * @return this.
     */
    public RunPlot add(final String name, final double[] values, final boolean right)
    {
        if (values.length != x.length)
        {
            throw new IllegalArgumentException(name + ": " + values.length + " values for " + x.length + " samples");
        }
        series.add(new Series(name, values.clone(), right));
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
        final double xMax = niceMax(max(x));
        final double leftMax = niceMax(axisMax(false));
        final double rightMax = niceMax(axisMax(true));
        final StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
            .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
            .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
            .append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
            .append("\" fill=\"white\"/>\n")
            .append("<text x=\"").append((LEFT + WIDTH - RIGHT) / 2).append("\" y=\"24\" text-anchor=\"middle\"")
            .append(" font-size=\"15\">").append(PercentilePlot.escape(title)).append("</text>\n");
        grid(svg, xMax, leftMax, rightMax);
        int colour = 0;
        int legendY = TOP + 10;
        for (final Series line : series)
        {
            final String stroke = PercentilePlot.COLOURS[colour++ % PercentilePlot.COLOURS.length];
            final double yMax = line.right ? rightMax : leftMax;
            svg.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"2\" points=\"");
            for (int i = 0; i < x.length; i++)
            {
                if (line.values[i] >= 0)
                {
                    svg.append(PercentilePlot.format(xOf(x[i], xMax))).append(',')
                        .append(PercentilePlot.format(yOf(line.values[i], yMax))).append(' ');
                }
            }
            svg.append("\"/>\n");
            for (int i = 0; i < x.length; i++)
            {
                if (line.values[i] >= 0)
                {
                    svg.append("<circle cx=\"").append(PercentilePlot.format(xOf(x[i], xMax))).append("\" cy=\"")
                        .append(PercentilePlot.format(yOf(line.values[i], yMax))).append("\" r=\"3\" fill=\"")
                        .append(stroke).append("\"/>\n");
                }
            }
            final int legendX = WIDTH - RIGHT + 70;
            svg.append("<line x1=\"").append(legendX).append("\" y1=\"").append(legendY).append("\" x2=\"")
                .append(legendX + 24).append("\" y2=\"").append(legendY).append("\" stroke=\"").append(stroke)
                .append("\" stroke-width=\"3\"/>\n")
                .append("<text x=\"").append(legendX + 30).append("\" y=\"").append(legendY + 4).append("\">")
                .append(PercentilePlot.escape(line.name + (line.right ? " (right)" : " (left)")))
                .append("</text>\n");
            legendY += 20;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void grid(final StringBuilder svg, final double xMax, final double leftMax, final double rightMax)
    {
        final int plotRight = WIDTH - RIGHT;
        final int plotBottom = HEIGHT - BOTTOM;
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
            .append(plotRight - LEFT).append("\" height=\"").append(plotBottom - TOP)
            .append("\" fill=\"none\" stroke=\"black\"/>\n");
        for (int tick = 0; tick <= TICKS; tick++)
        {
            final double xValue = xMax * tick / TICKS;
            final double xPosition = xOf(xValue, xMax);
            svg.append("<line x1=\"").append(PercentilePlot.format(xPosition)).append("\" y1=\"").append(TOP)
                .append("\" x2=\"").append(PercentilePlot.format(xPosition)).append("\" y2=\"").append(plotBottom)
                .append("\" stroke=\"#dddddd\"/>\n")
                .append("<text x=\"").append(PercentilePlot.format(xPosition)).append("\" y=\"")
                .append(plotBottom + 18).append("\" text-anchor=\"middle\">").append(label(xValue))
                .append("</text>\n");
            final double yPosition = yOf(leftMax * tick / TICKS, leftMax);
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(PercentilePlot.format(yPosition))
                .append("\" x2=\"").append(plotRight).append("\" y2=\"").append(PercentilePlot.format(yPosition))
                .append("\" stroke=\"#dddddd\"/>\n")
                .append("<text x=\"").append(LEFT - 8).append("\" y=\"").append(PercentilePlot.format(yPosition + 4))
                .append("\" text-anchor=\"end\">").append(label(leftMax * tick / TICKS)).append("</text>\n")
                .append("<text x=\"").append(plotRight + 8).append("\" y=\"")
                .append(PercentilePlot.format(yPosition + 4)).append("\">").append(label(rightMax * tick / TICKS))
                .append("</text>\n");
        }
        final int middle = (TOP + plotBottom) / 2;
        svg.append("<text x=\"").append((LEFT + plotRight) / 2).append("\" y=\"").append(HEIGHT - 18)
            .append("\" text-anchor=\"middle\">").append(PercentilePlot.escape(xLabel)).append("</text>\n")
            .append("<text x=\"20\" y=\"").append(middle).append("\" text-anchor=\"middle\" transform=\"rotate(-90 20 ")
            .append(middle).append(")\">").append(PercentilePlot.escape(leftLabel)).append("</text>\n")
            .append("<text x=\"").append(plotRight + 60).append("\" y=\"").append(middle)
            .append("\" text-anchor=\"middle\" transform=\"rotate(90 ").append(plotRight + 60).append(' ')
            .append(middle).append(")\">").append(PercentilePlot.escape(rightLabel)).append("</text>\n");
    }

    private double axisMax(final boolean right)
    {
        double max = 0;
        for (final Series line : series)
        {
            if (line.right == right)
            {
                max = Math.max(max, max(line.values));
            }
        }
        return max;
    }

    private static double max(final double[] values)
    {
        double max = 0;
        for (final double value : values)
        {
            max = Math.max(max, value);
        }
        return max;
    }

    /** @return the smallest of 1, 2, 2.5 or 5 times a power of ten, times {@value #TICKS}, at or above {@code max}. */
    private static double niceMax(final double max)
    {
        if (max <= 0)
        {
            return 1;
        }
        final double raw = max / TICKS;
        final double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (final double step : new double[] {1, 2, 2.5, 5, 10})
        {
            if (step * power >= raw)
            {
                return step * power * TICKS;
            }
        }
        return 10 * power * TICKS;
    }

    private static double xOf(final double value, final double xMax)
    {
        return LEFT + (WIDTH - RIGHT - LEFT) * value / xMax;
    }

    private static double yOf(final double value, final double yMax)
    {
        return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * value / yMax;
    }

    private static String label(final double value)
    {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value)
            : String.format(Locale.ROOT, "%,.2f", value);
    }

    /** One figure's line. */
    private record Series(String name, double[] values, boolean right)
    {}
}
