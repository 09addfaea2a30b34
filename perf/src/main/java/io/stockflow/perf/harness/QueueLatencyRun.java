package io.stockflow.perf.harness;

import io.stockflow.engine.workload.Pacer;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.internal.BackgroundWorker;
import io.stockflow.perf.report.Histograms;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;

/**
 * The raw-journal latency baseline: the same payload bytes at the same offered rate, sent
 * under the same {@link Pacer} as the engine, appended to a raw Chronicle Queue (same roll
 * cycle, so it crosses the same roll-overs) by the sending thread ({@link RawJournalSender}),
 * with a tailer thread reading them back. Two figures, both from the planned time: append
 * done (the journal's share of the engine's latency, reported as {@code raw_journal}) and
 * seen by the tailer (append plus a thread hand-off through the queue). The tailer checks
 * every record's length and count. With {@code pretouch}, the journal's pretoucher runs
 * beside the queue ({@link RawQueue#startPretouch}); without, nothing pretouches it.
 */
public final class QueueLatencyRun
{
    private QueueLatencyRun()
    {
    }

    /**
     * @param phase     rate, warm-up and measured seconds.
     * @param rollCycle the journal's roll cycle.
     * @param directory a fresh queue directory.
     * @param pretouch  whether the journal's pretoucher runs beside the queue.
     * @return both histograms, checked.
     * @throws BenchCheckException when the tailer misses or misreads a record.
     */
    public static Result run(
        final LatencyPhase phase, final JournalRollCycle rollCycle, final Path directory, final boolean pretouch)
    {
        final int total = Math.toIntExact(phase.totalEvents());
        final Histogram append = Histograms.nanos();
        final RawQueueTailer tailer;
        try (SingleChronicleQueue queue = RawQueue.open(directory, rollCycle);
            ExcerptAppender appender = queue.createAppender())
        {
            final BackgroundWorker pretoucher = pretouch ? RawQueue.startPretouch(queue, directory) : null;
            try
            {
                final RawJournalSender sender = new RawJournalSender(appender, total);
                final Pacer pacer = phase.pacer(System.nanoTime() + 1_000_000);
                final long measureFrom = pacer.plannedNs(phase.warmupEvents());
                tailer = new RawQueueTailer(queue, sender, measureFrom);
                final Thread tailerThread = tailer.start("raw-queue-tailer");
                for (int i = 0; i < total; i++)
                {
                    final long plannedNs = pacer.awaitPlanned(i);
                    final long appendedNs = sender.send(plannedNs);
                    if (plannedNs >= measureFrom)
                    {
                        Histograms.record(append, appendedNs - plannedNs);
                    }
                }
                tailer.stopAndCheck(tailerThread, total);
            }
            finally
            {
                if (pretoucher != null)
                {
                    pretoucher.close();
                }
            }
        }
        BenchCheckException.check(append.getTotalCount() == phase.measuredEvents(), "raw queue recorded "
            + append.getTotalCount() + " of " + phase.measuredEvents());
        return new Result(append, tailer.latency(), pretouch);
    }

    /** Both raw-queue histograms. */
    public static final class Result
    {
        private final Histogram append;
        private final Histogram tailer;
        private final boolean pretouch;

        Result(final Histogram append, final Histogram tailer, final boolean pretouch)
        {
            this.append = append;
            this.tailer = tailer;
            this.pretouch = pretouch;
        }

        /** @return planned time to append done, ns. */
        public Histogram append()
        {
            return append;
        }

        /** @return planned time to read by the tailer, ns. */
        public Histogram tailer()
        {
            return tailer;
        }

        /** @return whether the journal's pretoucher ran beside the queue. */
        public boolean pretouch()
        {
            return pretouch;
        }
    }
}
