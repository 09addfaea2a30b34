package io.stockflow.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The cycle files that really exist between two cycles.
 *
 * <p>Chronicle keeps the lowest and highest cycle in its table store across
 * processes, and {@code listCyclesBetween} throws when a bound's file is gone.
 * Tail recovery moves an incomplete cycle file aside before the queue is built,
 * so the stored highest cycle can name a file that no longer exists. This helper
 * refreshes the listing and, if a bound is still missing, narrows the range to
 * the nearest cycles whose files exist.
 */
final class QueueCycles
{
    private QueueCycles()
    {
    }

    /**
     * @param queue the queue
     * @param first lowest cycle wanted
     * @param last  highest cycle wanted
     * @return the existing cycles in [first, last], ascending
     */
    static NavigableSet<Long> existing(SingleChronicleQueue queue, int first, int last)
    {
        try
        {
            return queue.listCyclesBetween(first, last);
        }
        catch (IllegalStateException staleBound)
        {
            queue.refreshDirectoryListing();
        }
        int lower = Math.max(first, queue.firstCycle());
        int upper = Math.min(last, queue.lastCycle());
        while (lower <= upper)
        {
            try
            {
                return queue.listCyclesBetween(lower, upper);
            }
            catch (IllegalStateException missing)
            {
                String message = String.valueOf(missing.getMessage());
                if (message.contains("lowerCycle"))
                {
                    lower++;
                }
                else
                {
                    upper--;
                }
            }
        }
        return Collections.unmodifiableNavigableSet(new TreeSet<>());
    }
}
