package io.stockflow.perf.harness;

import com.lmax.disruptor.RingBuffer;
import io.stockflow.affinity.AffinityMode;
import io.stockflow.affinity.AffinityPlan;
import io.stockflow.affinity.EffectivePlan;
import io.stockflow.affinity.StagePlan;
import io.stockflow.affinity.Stages;
import io.stockflow.affinity.Topology;
import io.stockflow.affinity.WaitStrategyKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The baseline must have the shape of the engine it is read against: one thread when fused, three when parallel. */
class BarePipelineTest
{
    @ParameterizedTest
    @EnumSource(Topology.class)
    void runsThePlansTopologyAndReleasesEveryEventOnceInOrder(final Topology topology)
    {
        final List<StagePlan> stages = new ArrayList<>();
        for (final String stage : topology.stages())
        {
            stages.add(StagePlan.unpinned(stage, WaitStrategyKind.SLEEPING));
        }
        final EffectivePlan plan =
            BenchPlans.resolve(AffinityPlan.of(AffinityMode.BEST_EFFORT, topology, stages));
        final List<Long> released = new ArrayList<>();
        final long events = 10_000;
        try (BarePipeline pipeline =
            BarePipeline.start(plan, 1024, (slot, releasedNs) -> released.add(slot.plannedNs)))
        {
            final int pipelineThreads = topology == Topology.FUSED ? 1 : 3;
            assertEquals(pipelineThreads, pipeline.threads().size());
            assertTrue(pipeline.threads().get(0).getName().contains(
                topology == Topology.FUSED ? Stages.FUSED : Stages.JOURNAL), pipeline.threads().get(0).getName());
            final RingBuffer<BareSlot> ring = pipeline.ring();
            long sequence = -1;
            for (long i = 0; i < events; i++)
            {
                sequence = ring.next();
                ring.get(sequence).plannedNs = i;
                ring.publish(sequence);
            }
            assertTrue(pipeline.awaitReleased(sequence, Duration.ofSeconds(30)),
                "released " + pipeline.releasedSequence());
        }
        assertEquals(events, released.size());
        for (int i = 0; i < events; i++)
        {
            assertEquals(i, released.get(i), "release " + i);
        }
    }
}
