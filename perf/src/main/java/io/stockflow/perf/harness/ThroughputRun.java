package io.stockflow.perf.harness;

import io.stockflow.engine.workload.JitTime;

import java.util.Map;

/**
 * The figures of one throughput run, every one measured over the same events of the same
 * mix after the same warm-up, events per second.
 */
public final class ThroughputRun
{
    double engineEps;
    double engineNosnapEps = Double.NaN;
    double snapshotHoldMaxUs;
    long shadowLagAtEnd;
    double engineWithShadowEps;
    double engineOtherCountersEps = Double.NaN;
    double allocOtherCountersBytesPerEvent = Double.NaN;
    double rawJournalEps;
    boolean rawJournalPretouch = true;
    double rawJournalOtherPretouchEps = Double.NaN;
    double rawQueueEps;
    double rawRingEps;
    double replayEps;
    double rawReadEps;
    double allocBytesPerEvent;
    long engineRefusals;
    long jitMsEngine = JitTime.UNKNOWN;
    long jitMsEngineNosnap = JitTime.UNKNOWN;
    Map<String, Long> allocByThread;

    /** @return engine, publish to outcome released, events/s. */
    public double engineEps()
    {
        return engineEps;
    }

    /**
     * @return the JIT compilers' time in ms during the timed engine run ({@link JitTime}; -1 where the
     *         JVM does not keep it): compiling there timed code that was not yet compiled.
     */
    public long jitMsEngine()
    {
        return jitMsEngine;
    }

    /** @return the same for the engine run with snapshots off (-1 when there was none). */
    public long jitMsEngineNosnap()
    {
        return jitMsEngineNosnap;
    }

    /** @return the same engine run with snapshots off, events/s. */
    public double engineNosnapEps()
    {
        return engineNosnapEps;
    }

    /** @return the longest the live logic stage was held up by snapshot work during the run, us. */
    public double snapshotHoldMaxUs()
    {
        return snapshotHoldMaxUs;
    }

    /**
     * @return how many events the shadow state (snapshots are written from it) had still to apply
     *         when the last outcome was released; 0 with snapshots off.
     */
    public long shadowLagAtEnd()
    {
        return shadowLagAtEnd;
    }

    /**
     * @return events/s until the shadow state had applied every event too (publish to outcome released,
     *         then until the shadow caught up): the rate the engine with snapshots on sustains without its
     *         snapshots falling behind; equal to {@link #engineEps()} with snapshots off.
     */
    public double engineWithShadowEps()
    {
        return engineWithShadowEps;
    }

    /** @return our journal appender alone, same payloads, events/s, pretouch as {@link #rawJournalPretouch()} says. */
    public double rawJournalEps()
    {
        return rawJournalEps;
    }

    /** @return whether the journal's pretoucher ran in the {@link #rawJournalEps()} phase. */
    public boolean rawJournalPretouch()
    {
        return rawJournalPretouch;
    }

    /**
     * @return the raw journal with pretouch the other way round, events/s, when both ways ran
     *         ({@link RawPretouch#BOTH}); NaN otherwise.
     */
    public double rawJournalOtherPretouchEps()
    {
        return rawJournalOtherPretouchEps;
    }

    /** @return raw Chronicle Queue, same payload bytes, events/s. */
    public double rawQueueEps()
    {
        return rawQueueEps;
    }

    /** @return bare pipeline, events/s. */
    public double rawRingEps()
    {
        return rawRingEps;
    }

    /** @return replay of the engine's journal through the rules, events/s. */
    public double replayEps()
    {
        return replayEps;
    }

    /** @return read of the engine's journal without rules, events/s. */
    public double rawReadEps()
    {
        return rawReadEps;
    }

    /** @return heap bytes per measured event, publisher and stage threads. */
    public double allocBytesPerEvent()
    {
        return allocBytesPerEvent;
    }

    /** @return BACKPRESSURE answers the engine publisher retried. */
    public long engineRefusals()
    {
        return engineRefusals;
    }

    /** @return the measured allocation by thread. */
    public Map<String, Long> allocByThread()
    {
        return allocByThread;
    }

    /** @return engine events/s with the counters switched the other way (NaN when not measured). */
    public double engineOtherCountersEps()
    {
        return engineOtherCountersEps;
    }

    /** @return allocation per event with the counters switched the other way (NaN when not measured). */
    public double allocOtherCountersBytesPerEvent()
    {
        return allocOtherCountersBytesPerEvent;
    }

    /** @return the engine's rate over the raw journal's. */
    public double engineVsJournal()
    {
        return engineEps / rawJournalEps;
    }

    /** @return the replay's rate over the raw read's. */
    public double replayVsRead()
    {
        return replayEps / rawReadEps;
    }
}
