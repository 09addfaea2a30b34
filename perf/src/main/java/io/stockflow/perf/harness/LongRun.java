package io.stockflow.perf.harness;

import io.stockflow.affinity.EffectivePlan;

import java.util.List;

/**
 * A checked long run: its ten samples and the figures over the whole run.
 *
 * @param samples           the ten samples, in order.
 * @param engineEps         commands per second over the whole run, publish to release, sampling excluded.
 * @param ordersForgotten   orders forgotten by the end.
 * @param snapshotHoldMaxUs longest hold-up of the logic stage by snapshot work, us (SNAPSHOT_HOLD_MAX_NS).
 * @param snapshots         snapshots written while running (SNAPSHOTS).
 * @param refusals          BACKPRESSURE answers retried.
 * @param replayEps         the self-check's replay of the journal, commands per second.
 * @param diskUsage         how journal bytes were counted.
 * @param plan              the affinity plan the engine ran.
 */
public record LongRun(
    List<LongRunSample> samples,
    double engineEps,
    long ordersForgotten,
    double snapshotHoldMaxUs,
    long snapshots,
    long refusals,
    double replayEps,
    String diskUsage,
    EffectivePlan plan)
{
    /** @return the last sample. */
    public LongRunSample last()
    {
        return samples.get(samples.size() - 1);
    }
}
