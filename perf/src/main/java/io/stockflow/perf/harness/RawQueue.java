package io.stockflow.perf.harness;

import io.stockflow.journal.JournalConfig;
import io.stockflow.journal.JournalRollCycle;
import io.stockflow.journal.internal.BackgroundWorker;
import io.stockflow.journal.internal.DiskSpaceGuard;
import io.stockflow.journal.internal.Pretoucher;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Path;

/**
 * The raw Chronicle Queue the journal is compared with: a binary queue with the same roll
 * cycle, each record one document holding the payload bytes and nothing else (no
 * sequence, no CRC, no free-space check). By default nothing pretouches it; with
 * {@link #startPretouch} the journal's own pretoucher and background thread run beside it,
 * so the baseline can be measured both ways against an engine whose journal pretouches.
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

    /**
     * Warms the writer's next pages on the calling thread, then keeps them warm on a background
     * thread, exactly as the journal does when its pretouch is on (the same {@link Pretoucher},
     * window and {@link BackgroundWorker}).
     *
     * @param queue     a queue {@link #open} returned.
     * @param directory its directory.
     * @return the running pretouch thread; close it before the queue.
     */
    public static BackgroundWorker startPretouch(final SingleChronicleQueue queue, final Path directory)
    {
        final DiskSpaceGuard diskSpaceGuard = new DiskSpaceGuard(directory, JournalConfig.DEFAULT_MIN_FREE_DISK_BYTES);
        final Pretoucher pretoucher = new Pretoucher(queue, SystemTimeProvider.INSTANCE, diskSpaceGuard,
            JournalConfig.DEFAULT_PRETOUCH_AHEAD_BYTES, null);
        pretoucher.warmUp();
        return new BackgroundWorker(diskSpaceGuard, JournalConfig.DEFAULT_DISK_CHECK_INTERVAL_MILLIS, pretoucher,
            null);
    }
}
