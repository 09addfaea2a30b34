package io.stockflow.engine.pipeline;

import io.stockflow.affinity.EffectivePlan;
import io.stockflow.engine.LogicFailurePolicy;
import io.stockflow.engine.OutcomeListener;
import io.stockflow.engine.counters.CountersFile;
import io.stockflow.engine.counters.IntervalLatency;
import io.stockflow.engine.rules.FulfillmentRules;
import io.stockflow.engine.shadow.StateCheckpoints;
import io.stockflow.engine.snapshot.LiveCaptureSnapshots;
import io.stockflow.journal.Journal;

/**
 * What a {@link PipelineTopology} is built from: everything start-up opened or
 * recovered, handed over once. Every topology takes the same parts, so choosing a
 * topology changes only which class is built.
 *
 * @param ringSize        slots in the ring, a power of two.
 * @param plan            the affinity plan: the ring's wait strategy and each stage's thread factory.
 * @param lifecycle       the engine's state, halted by a failing stage.
 * @param journal         the open journal; the journaling stage owns its appender.
 * @param rules           the recovered state; the rules' stage thread owns it once started.
 * @param failurePolicy   what to do when the rules throw.
 * @param counters        the engine's counters.
 * @param counting        false to skip the per-event and per-batch counters.
 * @param checkpoints     where the rules' stage publishes its state hash for the shadow state, or null.
 * @param liveSnapshots   the snapshots the rules' stage captures from the live state, or null (a shadow state's,
 *                        or none).
 * @param applyProbe      called before each apply (a test seam).
 * @param listeners       receive every outcome, on the releasing stage's thread.
 * @param latencyRecorder receives per-event stage timestamps.
 * @param intervalLatency the counters' latency histogram, or null when counting is off.
 */
public record PipelineParts(
    int ringSize,
    EffectivePlan plan,
    SharedLifecycle lifecycle,
    Journal journal,
    FulfillmentRules rules,
    LogicFailurePolicy failurePolicy,
    CountersFile counters,
    boolean counting,
    StateCheckpoints checkpoints,
    LiveCaptureSnapshots liveSnapshots,
    ApplyProbe applyProbe,
    OutcomeListener[] listeners,
    LatencyRecorder latencyRecorder,
    IntervalLatency intervalLatency)
{
    /**
     * @return true when a latency recorder takes the journal and logic stages' timestamps; without one
     *         those stages read no clock (two of the three clock reads a command cost the stages).
     */
    public boolean stampsStages()
    {
        return latencyRecorder != LatencyRecorder.NONE;
    }
}
