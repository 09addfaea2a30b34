package io.stockflow.perf.harness;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.workload.GeneratedCommand;
import io.stockflow.engine.workload.WorkloadGenerator;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The raw-journal baseline's send step, the one piece of code that {@code bench latency}'s
 * {@code raw_journal} phase ({@link QueueLatencyRun}) and {@code bench jlbh}'s
 * {@link RawJournalJlbhTask} both time: generate the demo mix's next command, encode it, and
 * append its bytes as one document to the raw queue, on the calling thread. It remembers each
 * record's planned time and length for the {@link RawQueueTailer}'s check. Owned by the sending
 * thread; allocation-free.
 */
final class RawJournalSender
{
    private final ExcerptAppender appender;
    private final WorkloadGenerator generator = DemoWorkload.generator();
    private final GeneratedCommand command = new GeneratedCommand();
    private final byte[] payload = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    private final long[] planned;
    private final int[] lengths;
    private int sent;

    /**
     * @param appender the raw queue's appender, used by the calling thread only.
     * @param capacity records this sender may send.
     */
    RawJournalSender(final ExcerptAppender appender, final int capacity)
    {
        this.appender = appender;
        this.planned = new long[capacity];
        this.lengths = new int[capacity];
    }

    /**
     * Generates, encodes and appends the next command.
     *
     * @param plannedNs its planned send time, kept for the tailer.
     * @return System.nanoTime() once the append is done.
     * @throws BenchCheckException when more records are sent than the capacity.
     */
    long send(final long plannedNs)
    {
        BenchCheckException.check(sent < planned.length, "raw journal sender is full: " + planned.length
            + " records");
        generator.next(command);
        final int length = command.encode(payload, 0);
        planned[sent] = plannedNs;
        lengths[sent] = length;
        try (DocumentContext document = appender.writingDocument())
        {
            document.wire().bytes().write(payload, 0, length);
        }
        sent++;
        return System.nanoTime();
    }

    /** @return records sent so far. */
    int sent()
    {
        return sent;
    }

    /** @return records this sender may send. */
    int capacity()
    {
        return planned.length;
    }

    /**
     * @param index a record's index from 0.
     * @return its planned time; read by the tailer after the record is visible in the queue.
     */
    long plannedAt(final int index)
    {
        return planned[index];
    }

    /**
     * @param index a record's index from 0.
     * @return its payload length; read by the tailer after the record is visible in the queue.
     */
    int lengthAt(final int index)
    {
        return lengths[index];
    }
}
