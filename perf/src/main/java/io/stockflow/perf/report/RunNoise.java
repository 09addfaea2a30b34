package io.stockflow.perf.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The noise a run suffered, for the report's {@code env}: the machine's steal time
 * ({@code /proc/stat}, the hypervisor giving our vCPUs to someone else) and this process's
 * context switches, summed over its threads ({@code /proc/self/task/*}{@code /status}: the
 * process's own {@code /proc/self/status} counts only its first thread, which in a JVM
 * waits for {@code main} to end and never switches), as deltas between {@link #start()} and
 * {@link #stop()}; a thread that ends during the run takes its switches with it. Steal does
 * not see other processes of the same VM taking the CPUs: the context switches (and the
 * latency harness's jitter probe) do. A tail figure from a run with more than {@value #STEAL_LIMIT_PERCENT}% steal
 * is reported, not judged: the stall is the host's, not ours. The process's page faults
 * ({@code /proc/self/stat}'s {@code minflt} and {@code majflt}, all threads) are counted too:
 * in a VM whose free memory goes back to the host (virtio-balloon free page reporting, a
 * DAMON reclaim scheme) a first touch of a page can cost a fault on the host as well, tens
 * of microseconds or more, and nothing else in {@code /proc} shows it. Where {@code /proc}
 * is missing (not Linux) every figure is -1. Not thread-safe; one run per instance.
 */
public final class RunNoise
{
    /** Steal above this share of the run's CPU time flags the tail figures. */
    public static final double STEAL_LIMIT_PERCENT = 2.0;

    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final Path PROC_TASKS = Path.of("/proc/self/task");
    private static final int STEAL_FIELD = 8;
    private static final Path PROC_SELF_STAT = Path.of("/proc/self/stat");
    /** Index of {@code minflt} among the fields after the command name's closing parenthesis. */
    private static final int MINFLT_AFTER_COMM = 7;
    /** Index of {@code majflt} there. */
    private static final int MAJFLT_AFTER_COMM = 9;

    private final long[] cpuAtStart;
    private final long[] switchesAtStart;
    private final long[] faultsAtStart;

    private RunNoise(final long[] cpuAtStart, final long[] switchesAtStart, final long[] faultsAtStart)
    {
        this.cpuAtStart = cpuAtStart;
        this.switchesAtStart = switchesAtStart;
        this.faultsAtStart = faultsAtStart;
    }

    /** @return the counters at the start of a run. */
    public static RunNoise start()
    {
        return new RunNoise(cpuTicks(), contextSwitches(), pageFaults());
    }

    /**
     * @return {@code steal_percent}, {@code voluntary_ctxt_switches},
     *         {@code nonvoluntary_ctxt_switches}, {@code minor_page_faults},
     *         {@code major_page_faults} since {@link #start()}, and
     *         {@code tail} = {@code judged} or {@code reported, not judged} (steal above the limit).
     */
    public Map<String, Object> stop()
    {
        final long[] cpu = cpuTicks();
        final long[] switches = contextSwitches();
        final long[] faults = pageFaults();
        final Map<String, Object> noise = new LinkedHashMap<>();
        final double steal = stealPercent(cpuAtStart, cpu);
        noise.put("steal_percent", steal);
        noise.put("voluntary_ctxt_switches", switchesAtStart[0] < 0 ? -1 : switches[0] - switchesAtStart[0]);
        noise.put("nonvoluntary_ctxt_switches", switchesAtStart[1] < 0 ? -1 : switches[1] - switchesAtStart[1]);
        noise.put("minor_page_faults", faultsAtStart[0] < 0 || faults[0] < 0 ? -1 : faults[0] - faultsAtStart[0]);
        noise.put("major_page_faults", faultsAtStart[1] < 0 || faults[1] < 0 ? -1 : faults[1] - faultsAtStart[1]);
        noise.put("tail", steal > STEAL_LIMIT_PERCENT ? "reported, not judged" : "judged");
        return noise;
    }

    /** @return {minor, major} page faults of this process so far, -1 each when unknown. */
    static long[] pageFaults()
    {
        try
        {
            return parseFaults(Files.readString(PROC_SELF_STAT));
        }
        catch (final IOException | RuntimeException e)
        {
            return new long[] {-1, -1};
        }
    }

    /** @return {minflt, majflt} of a {@code /proc/[pid]/stat} line; the command name may hold spaces. */
    static long[] parseFaults(final String stat)
    {
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+");
        return new long[] {Long.parseLong(fields[MINFLT_AFTER_COMM]), Long.parseLong(fields[MAJFLT_AFTER_COMM])};
    }

    /** @return steal ticks over all ticks between two readings, in percent; -1 when unknown. */
    static double stealPercent(final long[] before, final long[] after)
    {
        if (before.length == 0 || after.length == 0)
        {
            return -1;
        }
        final long total = after[0] - before[0];
        return total <= 0 ? 0 : 100.0 * (after[1] - before[1]) / total;
    }

    /** @return {total ticks, steal ticks} of the {@code cpu} line, or an empty array. */
    static long[] cpuTicks()
    {
        try
        {
            return parseCpuLine(Files.readAllLines(PROC_STAT).get(0));
        }
        catch (final IOException | RuntimeException e)
        {
            return new long[0];
        }
    }

    static long[] parseCpuLine(final String line)
    {
        final String[] fields = line.trim().split("\\s+");
        long total = 0;
        // user nice system idle iowait irq softirq steal; guest and guest_nice are already in user and nice.
        for (int field = 1; field <= STEAL_FIELD && field < fields.length; field++)
        {
            total += Long.parseLong(fields[field]);
        }
        return new long[] {total, fields.length > STEAL_FIELD ? Long.parseLong(fields[STEAL_FIELD]) : 0};
    }

    /** @return {voluntary, nonvoluntary} context switches of this process's live threads, -1 each when unknown. */
    static long[] contextSwitches()
    {
        final long[] switches = {-1, -1};
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC_TASKS))
        {
            for (final Path task : tasks)
            {
                addSwitches(task.resolve("status"), switches);
            }
        }
        catch (final IOException | RuntimeException e)
        {
            return switches;
        }
        return switches;
    }

    private static void addSwitches(final Path status, final long[] switches)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(status);
        }
        catch (final IOException e)
        {
            // The thread ended between listing and reading.
            return;
        }
        for (final String line : lines)
        {
            if (line.startsWith("voluntary_ctxt_switches:"))
            {
                switches[0] = Math.max(0, switches[0]) + Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
            else if (line.startsWith("nonvoluntary_ctxt_switches:"))
            {
                switches[1] = Math.max(0, switches[1]) + Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
    }
}
