package io.stockflow.perf.report;

import org.HdrHistogram.Histogram;

import java.util.List;

/**
 * The percentiles a latency report prints for one histogram of nanosecond values,
 * converted to microseconds: p50, p90, p99, p99.9, p99.99, max and the sample count.
 */
public final class LatencySummary
{
    private final double p50Micros;
    private final double p90Micros;
    private final double p99Micros;
    private final double p999Micros;
    private final double p9999Micros;
    private final double maxMicros;
    private final long count;

    private LatencySummary(
        final double p50Micros,
        final double p90Micros,
        final double p99Micros,
        final double p999Micros,
        final double p9999Micros,
        final double maxMicros,
        final long count)
    {
        this.p50Micros = p50Micros;
        this.p90Micros = p90Micros;
        this.p99Micros = p99Micros;
        this.p999Micros = p999Micros;
        this.p9999Micros = p9999Micros;
        this.maxMicros = maxMicros;
        this.count = count;
    }

    /**
     * @param nanos a histogram of nanosecond values.
     * @return its percentiles in microseconds.
     */
    public static LatencySummary of(final Histogram nanos)
    {
        return new LatencySummary(
            micros(nanos.getValueAtPercentile(50)),
            micros(nanos.getValueAtPercentile(90)),
            micros(nanos.getValueAtPercentile(99)),
            micros(nanos.getValueAtPercentile(99.9)),
            micros(nanos.getValueAtPercentile(99.99)),
            micros(nanos.getMaxValue()),
            nanos.getTotalCount());
    }

    /**
     * @param p50Micros   median.
     * @param p90Micros   90th percentile.
     * @param p99Micros   99th percentile.
     * @param p999Micros  99.9th percentile.
     * @param p9999Micros 99.99th percentile.
     * @param maxMicros   maximum.
     * @param count       samples.
     * @return a summary of the given values (for tests and medians of runs).
     */
    public static LatencySummary of(
        final double p50Micros,
        final double p90Micros,
        final double p99Micros,
        final double p999Micros,
        final double p9999Micros,
        final double maxMicros,
        final long count)
    {
        return new LatencySummary(p50Micros, p90Micros, p99Micros, p999Micros, p9999Micros, maxMicros, count);
    }

    /**
     * @param runs summaries of the same series over several runs.
     * @return each percentile's median over the runs; the count is the runs' total.
     */
    public static LatencySummary medianOf(final List<LatencySummary> runs)
    {
        return of(
            Spread.of(runs.stream().mapToDouble(LatencySummary::p50Micros).toArray()).median(),
            Spread.of(runs.stream().mapToDouble(LatencySummary::p90Micros).toArray()).median(),
            Spread.of(runs.stream().mapToDouble(LatencySummary::p99Micros).toArray()).median(),
            Spread.of(runs.stream().mapToDouble(LatencySummary::p999Micros).toArray()).median(),
            Spread.of(runs.stream().mapToDouble(LatencySummary::p9999Micros).toArray()).median(),
            Spread.of(runs.stream().mapToDouble(LatencySummary::maxMicros).toArray()).median(),
            runs.stream().mapToLong(LatencySummary::count).sum());
    }

    private static double micros(final long nanos)
    {
        return nanos / 1000.0;
    }

    /** @return the median, µs. */
    public double p50Micros()
    {
        return p50Micros;
    }

    /** @return the 90th percentile, µs. */
    public double p90Micros()
    {
        return p90Micros;
    }

    /** @return the 99th percentile, µs. */
    public double p99Micros()
    {
        return p99Micros;
    }

    /** @return the 99.9th percentile, µs. */
    public double p999Micros()
    {
        return p999Micros;
    }

    /** @return the 99.99th percentile, µs. */
    public double p9999Micros()
    {
        return p9999Micros;
    }

    /** @return the maximum, µs. */
    public double maxMicros()
    {
        return maxMicros;
    }

    /** @return the number of samples. */
    public long count()
    {
        return count;
    }

    /**
     * Writes this summary as the report schema's {@code P} object:
     * {@code {"p50_us":..,"p90_us":..,"p99_us":..,"p999_us":..,"p9999_us":..,"max_us":..,"count":..}}.
     *
     * @param json where to write it, positioned where a value may start.
     */
    public void writeTo(final JsonWriter json)
    {
        json.beginObject()
            .field("p50_us", p50Micros)
            .field("p90_us", p90Micros)
            .field("p99_us", p99Micros)
            .field("p999_us", p999Micros)
            .field("p9999_us", p9999Micros)
            .field("max_us", maxMicros)
            .field("count", count)
            .endObject();
    }
}
