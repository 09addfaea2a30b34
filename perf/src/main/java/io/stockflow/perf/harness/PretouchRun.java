package io.stockflow.perf.harness;

import io.stockflow.engine.workload.Pacer;
import io.stockflow.journal.CycleFiles;
import io.stockflow.journal.Journal;
import io.stockflow.journal.JournalAppender;
import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.report.Histograms;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * One side of {@code bench pretouch}: a fresh journal on the fastest roll cycle (a new
 * file every second), appended to at a constant rate for several seconds, so the writer
 * crosses a roll-over every second and writes nothing but fresh pages. Each append plus
 * commit is timed on its own (service time, the writer's stall), because the page faults
 * and file creation pretouch exists to move off the writer show up as single slow
 * appends; the maximum is the figure that matters.
 */
public final class PretouchRun
{
    private PretouchRun()
    {
    }

    /**
     * @param pretouch     whether the journal pretouches.
     * @param rate         appends per second.
     * @param seconds      seconds to append for (about one roll-over each).
     * @param payloadBytes payload size.
     * @param directory    a fresh journal directory.
     * @return the append times, checked.
     */
    public static Result run(
        final boolean pretouch, final long rate, final long seconds, final int payloadBytes, final Path directory)
    {
        final Histogram append = Histograms.nanos();
        final byte[] payload = new byte[payloadBytes];
        new SplittableRandom(7).nextBytes(payload);
        final long total = rate * seconds;
        long last = 0;
        try (Journal journal = Journal.open(JournalConfig.builder(directory)
            .rollCycle(JournalRollCycle.TEST_SECONDLY)
            .pretouch(pretouch)
            .build()))
        {
            final JournalAppender appender = journal.appender();
            final Pacer pacer = new Pacer(System.nanoTime() + 1_000_000, rate);
            for (long i = 0; i < total; i++)
            {
                pacer.awaitPlanned(i);
                final long before = System.nanoTime();
                last = appender.append(1_700_000_000_000L + i, 1, 1, payload, 0, payloadBytes);
                appender.commit();
                Histograms.record(append, System.nanoTime() - before);
            }
        }
        BenchCheckException.check(last == total, "journal appended " + last + " of " + total);
        return new Result(append, countFiles(directory));
    }

    private static long countFiles(final Path directory)
    {
        try
        {
            return CycleFiles.in(directory).size();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** One side's append times. */
    public static final class Result
    {
        private final Histogram append;
        private final long files;

        Result(final Histogram append, final long files)
        {
            this.append = append;
            this.files = files;
        }

        /** @return append plus commit, ns. */
        public Histogram append()
        {
            return append;
        }

        /** @return cycle files written (roll-overs + 1). */
        public long files()
        {
            return files;
        }
    }
}
