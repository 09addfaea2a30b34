package io.stockflow.perf.harness;

import io.stockflow.engine.workload.Pacer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What sending at a constant rate cost the sending thread over a phase, for the report: how
 * the {@link Pacer} spent its waiting (spinning, which holds a CPU, or parked) and the sending
 * thread's CPU time (pacing plus generating and publishing the commands), each also as a share
 * of one core over the phase's wall time. Started and stopped on the sending thread; one phase
 * per instance.
 */
final class PacerCost
{
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long startNs;
    private final long cpuAtStartNs;

    private PacerCost()
    {
        startNs = System.nanoTime();
        cpuAtStartNs = threads.getCurrentThreadCpuTime();
    }

    /** @return a meter started now, on the sending thread. */
    static PacerCost start()
    {
        return new PacerCost();
    }

    /**
     * @param pacer the pacer the phase sent with, created after {@link #start()}.
     * @return {@code spun_ms}, {@code spun_cores}, {@code parked_ms}, {@code sender_cpu_ms} and
     *         {@code sender_cores} (-1 when the JVM cannot measure thread CPU time), {@code spin_below_us}
     *         (how close to each send it spins) and {@code timer_slack_ns} (the sending thread's, -1 when unknown).
     */
    Map<String, Object> stop(final Pacer pacer)
    {
        final double wallNs = Math.max(1, System.nanoTime() - startNs);
        final long cpuNow = threads.getCurrentThreadCpuTime();
        final long senderCpuNs = cpuNow < 0 || cpuAtStartNs < 0 ? -1 : cpuNow - cpuAtStartNs;
        final Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("spun_ms", pacer.spunNanos() / 1e6);
        cost.put("spun_cores", pacer.spunNanos() / wallNs);
        cost.put("parked_ms", pacer.parkedNanos() / 1e6);
        cost.put("sender_cpu_ms", senderCpuNs < 0 ? -1 : senderCpuNs / 1e6);
        cost.put("sender_cores", senderCpuNs < 0 ? -1 : senderCpuNs / wallNs);
        cost.put("spin_below_us", pacer.spinBelowNanos() / 1e3);
        cost.put("timer_slack_ns", pacer.timerSlackNanos());
        return cost;
    }
}
