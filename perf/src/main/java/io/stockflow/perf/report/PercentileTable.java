package io.stockflow.perf.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The latency harnesses' stdout table: one row per measured series, columns p50, p90,
 * p99, p99.9, p99.99 and max in microseconds, and the sample count.
 */
public final class PercentileTable
{
    private final Map<String, LatencySummary> rows = new LinkedHashMap<>();

    /**
     * @param name    the row's label.
     * @param summary its percentiles.
     * @return this.
     */
    public PercentileTable add(final String name, final LatencySummary summary)
    {
        rows.put(name, summary);
        return this;
    }

    /** @return the table, lines ending with {@code \n}. */
    public String render()
    {
        int width = 8;
        for (final String name : rows.keySet())
        {
            width = Math.max(width, name.length());
        }
        final String rowFormat = "%-" + width + "s %10s %10s %10s %10s %10s %10s %10s%n";
        final StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, rowFormat, "µs", "p50", "p90", "p99", "p99.9", "p99.99", "max",
            "count"));
        for (final Map.Entry<String, LatencySummary> row : rows.entrySet())
        {
            final LatencySummary summary = row.getValue();
            table.append(String.format(Locale.ROOT, rowFormat, row.getKey(), micros(summary.p50Micros()),
                micros(summary.p90Micros()), micros(summary.p99Micros()), micros(summary.p999Micros()),
                micros(summary.p9999Micros()), micros(summary.maxMicros()), Long.toString(summary.count())));
        }
        return table.toString();
    }

    /**
     * @param micros a latency, µs.
     * @return it with a precision that suits its size.
     */
    public static String micros(final double micros)
    {
        if (micros >= 1000)
        {
            return String.format(Locale.ROOT, "%,.0f", micros);
        }
        if (micros >= 10)
        {
            return String.format(Locale.ROOT, "%.1f", micros);
        }
        return String.format(Locale.ROOT, "%.2f", micros);
    }
}
