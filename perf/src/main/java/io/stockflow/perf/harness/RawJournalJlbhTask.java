package io.stockflow.perf.harness;

import io.stockflow.journal.JournalRollCycle;
import net.openhft.chronicle.jlbh.JLBH;
import net.openhft.chronicle.jlbh.JLBHTask;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.nio.file.Path;

/**
 * Our raw-journal baseline as a JLBH task, so Chronicle's harness measures the very thing
 * {@code bench latency}'s {@code raw_journal} phase measures: each {@link #run} is one
 * {@link RawJournalSender#send} (generate, encode and append the demo mix's next command to a
 * raw Chronicle Queue with the given roll cycle, no pretouch), sampled from JLBH's start time
 * to the end of the append, with the same {@link RawQueueTailer} reading and checking every
 * record on its own thread. {@link #complete} fails the run when a record was missed or
 * misread. JLBH calls every method on the thread that started it.
 */
final class RawJournalJlbhTask implements JLBHTask
{
    private final Path directory;
    private final JournalRollCycle rollCycle;
    private final int capacity;
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private RawJournalSender sender;
    private RawQueueTailer tailer;
    private Thread tailerThread;
    private JLBH jlbh;

    /**
     * @param directory a fresh queue directory.
     * @param rollCycle the roll cycle {@code bench latency} would use.
     * @param capacity  warm-up plus measured iterations.
     */
    RawJournalJlbhTask(final Path directory, final JournalRollCycle rollCycle, final int capacity)
    {
        this.directory = directory;
        this.rollCycle = rollCycle;
        this.capacity = capacity;
    }

    @Override
    public void init(final JLBH jlbh)
    {
        this.jlbh = jlbh;
        queue = RawQueue.open(directory, rollCycle);
        appender = queue.createAppender();
        sender = new RawJournalSender(appender, capacity);
        tailer = new RawQueueTailer(queue, sender, Long.MAX_VALUE);
        tailerThread = tailer.start("raw-queue-tailer-jlbh");
    }

    @Override
    public void run(final long startTimeNs)
    {
        jlbh.sample(sender.send(startTimeNs) - startTimeNs);
    }

    @Override
    public void complete()
    {
        try
        {
            tailer.stopAndCheck(tailerThread, sender.sent());
            BenchCheckException.check(sender.sent() == capacity, "JLBH ran the raw journal task " + sender.sent()
                + " times of " + capacity);
        }
        finally
        {
            appender.close();
            queue.close();
        }
    }
}
