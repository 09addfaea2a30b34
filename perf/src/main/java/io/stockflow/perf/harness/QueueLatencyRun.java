package io.stockflow.perf.harness;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.Pacer;
import io.stockflow.engine.workload.WorkloadGenerator;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.perf.report.Histograms;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The raw-journal latency baseline: the same payload bytes at the same offered rate,
 * appended to a raw Chronicle Queue (same roll cycle, so it crosses the same roll-overs)
 * by the sending thread, with a tailer thread reading them back. Two figures, both from
 * the planned time: append done (the journal's share of the engine's latency, reported
 * as {@code raw_journal}) and seen by the tailer (append plus a thread hand-off through
 * the queue). The tailer checks every record's length and count.
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
     * @return both histograms, checked.
     * @throws BenchCheckException when the tailer misses or misreads a record.
     */
    public static Result run(final LatencyPhase phase, final JournalRollCycle rollCycle, final Path directory)
    {
        final int total = Math.toIntExact(phase.totalEvents());
        final long[] planned = new long[total];
        final int[] lengths = new int[total];
        final Histogram append = Histograms.nanos();
        final Tailer tailer;
        try (SingleChronicleQueue queue = RawQueue.open(directory, rollCycle);
            ExcerptAppender appender = queue.createAppender())
        {
            final Pacer pacer = phase.pacer(System.nanoTime() + 1_000_000);
            final long measureFrom = pacer.plannedNs(phase.warmupEvents());
            tailer = new Tailer(queue, planned, lengths, measureFrom);
            final Thread tailerThread = new Thread(tailer, "raw-queue-tailer");
            tailerThread.setDaemon(true);
            tailerThread.start();
            final WorkloadGenerator generator = DemoWorkload.generator();
            final GeneratedCommand command = new GeneratedCommand();
            final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
            for (int i = 0; i < total; i++)
            {
                final long plannedNs = pacer.awaitPlanned(i);
                generator.next(command);
                final int length = command.encode(payload, 0);
                planned[i] = plannedNs;
                lengths[i] = length;
                try (DocumentContext document = appender.writingDocument())
                {
                    document.wire().bytes().write(payload, 0, length);
                }
                if (plannedNs >= measureFrom)
                {
                    Histograms.record(append, System.nanoTime() - plannedNs);
                }
            }
            tailer.awaitCount(total);
            tailerThread.interrupt();
            joinQuietly(tailerThread);
        }
        BenchCheckException.check(tailer.failure == null, "raw queue tailer: " + tailer.failure);
        BenchCheckException.check(tailer.read == total, "raw queue tailer read " + tailer.read + " of " + total);
        BenchCheckException.check(append.getTotalCount() == phase.measuredEvents(), "raw queue recorded "
            + append.getTotalCount() + " of " + phase.measuredEvents());
        return new Result(append, tailer.latency);
    }

    private static void joinQuietly(final Thread thread)
    {
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Both raw-queue histograms. */
    public static final class Result
    {
        private final Histogram append;
        private final Histogram tailer;

        Result(final Histogram append, final Histogram tailer)
        {
            this.append = append;
            this.tailer = tailer;
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
    }

    /**
     * Reads documents as they appear, spinning briefly, then yielding, then parking when
     * there is nothing to read (a blocking stage's behaviour on a 2-core machine).
     */
    private static final class Tailer implements Runnable
    {
        private final SingleChronicleQueue queue;
        private final long[] planned;
        private final int[] lengths;
        private final long measureFrom;
        private final Histogram latency = Histograms.nanos();
        private volatile int read;
        private volatile String failure;

        Tailer(final SingleChronicleQueue queue, final long[] planned, final int[] lengths, final long measureFrom)
        {
            this.queue = queue;
            this.planned = planned;
            this.lengths = lengths;
            this.measureFrom = measureFrom;
        }

        @Override
        public void run()
        {
            try (ExcerptTailer tailer = queue.createTailer())
            {
                int idle = 0;
                int count = 0;
                while (count < planned.length && !Thread.currentThread().isInterrupted())
                {
                    try (DocumentContext document = tailer.readingDocument())
                    {
                        if (!document.isPresent())
                        {
                            idle = idle(idle);
                            continue;
                        }
                        idle = 0;
                        final Bytes<?> bytes = document.wire().bytes();
                        final long now = System.nanoTime();
                        final int length = (int)bytes.readRemaining();
                        if (length != lengths[count])
                        {
                            failure = "record " + count + " has " + length + " bytes, " + lengths[count] + " written";
                            return;
                        }
                        bytes.readSkip(length);
                        if (planned[count] >= measureFrom)
                        {
                            Histograms.record(latency, now - planned[count]);
                        }
                        count++;
                        read = count;
                    }
                }
            }
            catch (final RuntimeException e)
            {
                failure = e.toString();
            }
        }

        private static int idle(final int idle)
        {
            if (idle < 100)
            {
                Thread.onSpinWait();
            }
            else if (idle < 200)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(50_000);
            }
            return idle + 1;
        }

        void awaitCount(final int count)
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read < count && failure == null && System.nanoTime() - deadline < 0)
            {
                LockSupport.parkNanos(100_000);
            }
        }
    }
}
