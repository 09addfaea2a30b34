package io.stockflow.perf.harness;

import io.stockflow.journal.JournalRollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Path;

/**
 * The raw Chronicle Queue the journal is compared with: a binary queue with the same roll
 * cycle, each record one document holding the payload bytes and nothing else (no
 * sequence, no CRC, no free-space check, no pretouch).
 */
public final class RawQueue
{
    private RawQueue()
    {
    }

    /**
     * @param directory the queue directory.
     * @param rollCycle the roll cycle the journal uses.
     * @return the open queue; the caller closes it.
     */
    public static SingleChronicleQueue open(final Path directory, final JournalRollCycle rollCycle)
    {
        return SingleChronicleQueueBuilder.binary(directory).rollCycle(rollCycle.chronicleRollCycle()).build();
    }
}
