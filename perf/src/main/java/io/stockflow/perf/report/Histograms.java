package io.stockflow.perf.report;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Creates the harnesses' nanosecond histograms (1 ns to one hour, three significant
 * digits: a fixed-size array, so recording never allocates) and writes them as
 * {@code .hgrm} percentile distributions in microseconds, the format HdrHistogram's
 * plotter reads.
 */
public final class Histograms
{
    /** Largest recordable value; larger values are recorded as this. */
    public static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    private Histograms()
    {
    }

    /** @return an empty nanosecond histogram. */
    public static Histogram nanos()
    {
        return new Histogram(1, HIGHEST_NANOS, 3);
    }

    /**
     * Records a value, clamped to the histogram's range; allocation-free.
     *
     * @param histogram the histogram.
     * @param nanos     the value; negative values count as 0.
     */
    public static void record(final Histogram histogram, final long nanos)
    {
        histogram.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, nanos)));
    }

    /**
     * @param histogram nanosecond values.
     * @param file      the {@code .hgrm} file to write (replaced), values in µs.
     * @throws IOException when it cannot be written.
     */
    public static void writeHgrm(final Histogram histogram, final Path file) throws IOException
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8))
        {
            histogram.outputPercentileDistribution(out, 1000.0);
        }
    }
}
