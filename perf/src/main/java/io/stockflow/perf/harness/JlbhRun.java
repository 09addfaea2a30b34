package io.stockflow.perf.harness;

import io.stockflow.perf.report.LatencySummary;
import net.openhft.chronicle.jlbh.JLBH;
import net.openhft.chronicle.jlbh.JLBHOptions;
import net.openhft.chronicle.jlbh.JLBHResult;
import net.openhft.chronicle.jlbh.JLBHResultConsumer;
import net.openhft.chronicle.jlbh.JLBHTask;

import java.io.PrintStream;
import java.time.Duration;

/**
 * One task under Chronicle's JLBH at the phase's rate: {@code warmupEvents} iterations as
 * fast as they go (JLBH's warm-up), then one run of {@code measuredEvents} iterations
 * paced at the rate with JLBH's coordinated-omission correction on (each iteration is
 * handed its planned start time, so lateness counts, as in our {@link
 * io.stockflow.engine.workload.Pacer}), no affinity lock (our baselines run unpinned too)
 * and no OS-jitter thread. Its percentiles come from JLBH's own histogram; the run is
 * checked to have sampled every iteration.
 */
final class JlbhRun
{
    private JlbhRun()
    {
    }

    /**
     * @param task  the task; JLBH calls {@code init}, {@code run} and {@code complete} on this thread.
     * @param phase rate, warm-up and measured iterations.
     * @param log   where JLBH prints its own report.
     * @return JLBH's end-to-end percentiles of the measured run, µs.
     * @throws BenchCheckException when the task sampled fewer or more times than it ran.
     */
    static LatencySummary run(final JLBHTask task, final LatencyPhase phase, final PrintStream log)
    {
        final long warmup = Math.max(1, phase.warmupEvents());
        final JLBHOptions options = new JLBHOptions()
            .jlbhTask(task)
            .throughput(Math.toIntExact(phase.rate()))
            .warmUpIterations(Math.toIntExact(warmup))
            .iterations(phase.measuredEvents())
            .runs(1)
            .skipFirstRun(false)
            .accountForCoordinatedOmission(true)
            .recordOSJitter(false)
            .acquireLock(() -> null);
        final JLBHResultConsumer results = JLBHResultConsumer.newThreadSafeInstance();
        final CountingJlbh jlbh = new CountingJlbh(options, log, results);
        jlbh.start();
        BenchCheckException.check(jlbh.samples == warmup + phase.measuredEvents(), "JLBH task sampled "
            + jlbh.samples + " times for " + (warmup + phase.measuredEvents()) + " iterations");
        return summaryOf(results.get().endToEnd().summaryOfLastRun(), phase.measuredEvents());
    }

    /**
     * @param run   one JLBH run's percentiles.
     * @param count the run's samples.
     * @return them as a summary; p99.99 is JLBH's worst when the run was too short for JLBH to report it.
     */
    static LatencySummary summaryOf(final JLBHResult.RunResult run, final long count)
    {
        final double worst = micros(run.getWorst());
        final Duration p9999 = run.get9999thPercentile();
        return LatencySummary.of(micros(run.get50thPercentile()), micros(run.get90thPercentile()),
            micros(run.get99thPercentile()), run.get999thPercentile() == null ? worst
                : micros(run.get999thPercentile()),
            p9999 == null ? worst : micros(p9999), worst, count);
    }

    private static double micros(final Duration duration)
    {
        return duration.toNanos() / 1000.0;
    }

    /** JLBH counting the samples its task gives it, warm-up included; JLBH's thread only. */
    private static final class CountingJlbh extends JLBH
    {
        private long samples;

        CountingJlbh(final JLBHOptions options, final PrintStream log, final JLBHResultConsumer results)
        {
            super(options, log, results);
        }

        @Override
        public void sample(final long durationNs)
        {
            samples++;
            super.sample(durationNs);
        }
    }
}
