package io.stockflow.perf.harness;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Heap bytes allocated by a fixed set of threads between two points, from the JVM's
 * per-thread allocation counters ({@code com.sun.management.ThreadMXBean}): the way to
 * show that the publisher and the stage threads allocate nothing per event once warm,
 * without a profiler.
 */
public final class AllocationMeter
{
    private final com.sun.management.ThreadMXBean threads;
    private final List<Thread> measured;
    private final long[] startBytes;

    private AllocationMeter(final List<Thread> measured)
    {
        this.threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        BenchCheckException.check(threads.isThreadAllocatedMemorySupported(),
            "this JVM cannot count allocated bytes per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        this.measured = new ArrayList<>(measured);
        this.startBytes = new long[measured.size()];
        for (int i = 0; i < startBytes.length; i++)
        {
            startBytes[i] = allocated(measured.get(i));
        }
    }

    /**
     * @param measured the threads to follow, alive.
     * @return a meter started now.
     */
    public static AllocationMeter start(final List<Thread> measured)
    {
        return new AllocationMeter(measured);
    }

    /** @return bytes each thread allocated since the start, by thread name. */
    public Map<String, Long> bytesByThread()
    {
        final Map<String, Long> bytes = new LinkedHashMap<>();
        for (int i = 0; i < startBytes.length; i++)
        {
            bytes.merge(measured.get(i).getName(), allocated(measured.get(i)) - startBytes[i], Long::sum);
        }
        return bytes;
    }

    /** @return bytes all threads allocated since the start. */
    public long bytes()
    {
        long total = 0;
        for (final long bytes : bytesByThread().values())
        {
            total += bytes;
        }
        return total;
    }

    private long allocated(final Thread thread)
    {
        return threads.getThreadAllocatedBytes(thread.getId());
    }
}
