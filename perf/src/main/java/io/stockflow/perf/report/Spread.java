package io.stockflow.perf.report;

import java.util.Arrays;
import java.util.Locale;

/**
 * The median and the range of one figure over several runs: on a shared, noisy machine a
 * single run's figure says little, the median and its spread say more.
 */
public final class Spread
{
    private final double median;
    private final double min;
    private final double max;
    private final int runs;

    private Spread(final double median, final double min, final double max, final int runs)
    {
        this.median = median;
        this.min = min;
        this.max = max;
        this.runs = runs;
    }

    /**
     * @param values one value per run, at least one.
     * @return their median (mean of the middle two for an even count), minimum and maximum.
     */
    public static Spread of(final double... values)
    {
        if (values.length == 0)
        {
            throw new IllegalArgumentException("no values");
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        final double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    /** @return the median. */
    public double median()
    {
        return median;
    }

    /** @return the smallest value. */
    public double min()
    {
        return min;
    }

    /** @return the largest value. */
    public double max()
    {
        return max;
    }

    /**
     * @param format a format for one value, e.g. {@code %,.0f}.
     * @return e.g. {@code 1,234 (1,100..1,300, 3 runs)}, or just the value for one run.
     */
    public String format(final String format)
    {
        final String value = String.format(Locale.ROOT, format, median);
        if (runs == 1)
        {
            return value;
        }
        return value + " (" + String.format(Locale.ROOT, format, min) + ".." + String.format(Locale.ROOT, format, max)
            + ", " + runs + " runs)";
    }
}
