package io.stockflow.perf.harness;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two memory figures of a long run. Heap after GC is what the state really keeps
 * alive: the heap in use right after a collection, not the heap in use at a random
 * moment (which mostly measures how long ago the last collection ran). RSS is what the
 * operating system charges the process, off-heap mappings (journal, counters, snapshot
 * buffers) included.
 */
public final class ProcessMemory
{
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final long KIB = 1024;

    private ProcessMemory()
    {
    }

    /**
     * Runs one {@link System#gc()} so the figure is fresh (a full collection of the whole
     * heap with G1, the default collector), then sums, over the heap's memory pools, the
     * usage each pool had right after its most recent collection
     * ({@link MemoryPoolMXBean#getCollectionUsage()}).
     *
     * @return live heap bytes after the collection.
     * @throws BenchCheckException when no collection ran (e.g. {@code -XX:+DisableExplicitGC}),
     *                             so the figure would be stale.
     */
    public static long heapAfterGc()
    {
        final long before = collections();
        System.gc();
        BenchCheckException.check(collections() > before,
            "System.gc() ran no collection (is -XX:+DisableExplicitGC set?): no fresh heap-after-GC figure");
        long used = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            final MemoryUsage usage = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (usage != null)
            {
                used += usage.getUsed();
            }
        }
        return used;
    }

    /** @return the process's resident set size ({@code VmRSS} in /proc/self/status), bytes; -1 where there is none. */
    public static long rssBytes()
    {
        try
        {
            for (final String line : Files.readAllLines(STATUS))
            {
                if (line.startsWith("VmRSS:"))
                {
                    final String[] fields = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(fields[0]) * KIB;
                }
            }
            return -1;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    private static long collections()
    {
        long count = 0;
        for (final GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, collector.getCollectionCount());
        }
        return count;
    }
}
