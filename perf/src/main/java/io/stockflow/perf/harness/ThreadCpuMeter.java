package io.stockflow.perf.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of each engine thread (every live thread whose name starts with {@code stockflow-})
 * over a run, idle included: a spinning stage shows about a whole core even when nothing
 * arrives, so a user can weigh its microseconds against the core it holds. Read through
 * {@link ThreadMXBean#getThreadCpuTime} by thread id, between {@link #start()} and
 * {@link #stop()}, both called while the engine runs. Not thread-safe; one run per instance.
 */
public final class ThreadCpuMeter
{
    private static final String ENGINE_THREAD_PREFIX = "stockflow-";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, String> names = new TreeMap<>();
    private final Map<Long, Long> cpuAtStartNs = new TreeMap<>();
    private long startNs;

    private ThreadCpuMeter()
    {
    }

    /** @return a meter that read every engine thread's CPU time now. */
    public static ThreadCpuMeter start()
    {
        final ThreadCpuMeter meter = new ThreadCpuMeter();
        meter.startNs = System.nanoTime();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith(ENGINE_THREAD_PREFIX))
            {
                meter.names.put(thread.getId(), thread.getName());
                meter.cpuAtStartNs.put(thread.getId(), Math.max(0, meter.threads.getThreadCpuTime(thread.getId())));
            }
        }
        return meter;
    }

    /**
     * @return per engine thread name: {@code cpu_ms} used since {@link #start()} and
     *         {@code cores} (that CPU time over the wall time, 1.0 = one core held all along);
     *         a thread that ended before this call reports -1.
     */
    public Map<String, Object> stop()
    {
        final double wallNs = Math.max(1, System.nanoTime() - startNs);
        final Map<String, Object> perThread = new LinkedHashMap<>();
        for (final Map.Entry<Long, String> entry : names.entrySet())
        {
            final long now = threads.getThreadCpuTime(entry.getKey());
            final Map<String, Object> row = new LinkedHashMap<>();
            final long usedNs = now < 0 ? -1 : now - cpuAtStartNs.get(entry.getKey());
            row.put("cpu_ms", usedNs < 0 ? -1 : usedNs / 1e6);
            row.put("cores", usedNs < 0 ? -1 : usedNs / wallNs);
            perThread.put(entry.getValue() + "#" + entry.getKey(), row);
        }
        return perThread;
    }
}
