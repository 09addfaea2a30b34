package io.stockflow.journal;

import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import net.openhft.chronicle.queue.impl.StoreFileListener;

import java.io.File;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which cycle files the writer's queue has mapped right now, learnt from Chronicle's own
 * {@link StoreFileListener}: every store the queue acquires for the appender, the pretoucher or a
 * reader of this journal is an {@code onAcquired}, every store it closes an {@code onReleased}.
 * The archiver running inside the engine ({@link JournalArchiver#over}) never takes a cycle at or
 * after the lowest one still held, so it never moves a file a reader in this process has open,
 * nor the cycle being written.
 *
 * <p>Chronicle calls the listener on its background releaser thread, in the order the stores were
 * acquired and closed (or on a thread draining it); {@link #lowestHeldCycle()} first lets that thread catch up, so a store the
 * caller itself has just closed is no longer counted.
 */
final class CycleFileUsage implements StoreFileListener
{
    private final Map<Integer, Integer> holdsByCycle = new ConcurrentHashMap<>();

    @Override
    public void onAcquired(final int cycle, final File file)
    {
        holdsByCycle.merge(cycle, 1, CycleFileUsage::sumOrRemove);
    }

    @Override
    public void onReleased(final int cycle, final File file)
    {
        holdsByCycle.merge(cycle, -1, CycleFileUsage::sumOrRemove);
    }

    /* Two threads may run the callbacks (the releaser and a caller draining it), so a release can be
     * counted before its acquisition: counts may dip below zero for a moment and only a positive
     * one is a hold. */
    private static Integer sumOrRemove(final Integer holds, final Integer change)
    {
        final int sum = holds + change;
        return sum == 0 ? null : sum;
    }

    /** @return the lowest cycle some store of the queue holds, or {@link Integer#MAX_VALUE} if none */
    int lowestHeldCycle()
    {
        BackgroundResourceReleaser.releasePendingResources();
        int lowest = Integer.MAX_VALUE;
        for (final Map.Entry<Integer, Integer> held : holdsByCycle.entrySet())
        {
            if (held.getValue() > 0)
            {
                lowest = Math.min(lowest, held.getKey());
            }
        }
        return lowest;
    }
}
