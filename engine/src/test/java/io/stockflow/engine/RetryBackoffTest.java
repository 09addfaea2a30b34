package io.stockflow.engine;

import io.stockflow.affinity.AffinityPlan;
import io.stockflow.affinity.AffinityPlanner;
import io.stockflow.affinity.CpuInventory;
import io.stockflow.affinity.CpuSet;
import io.stockflow.affinity.EffectivePlan;
import io.stockflow.affinity.Topology;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetryBackoffTest
{
    private static final CpuInventory TWO_CPUS = CpuInventory.ofCpus(CpuSet.range(0, 1));
    private static final CpuInventory EIGHT_CPUS = CpuInventory.ofCpus(CpuSet.range(0, 7));

    @Test
    void theDefaultPlanOfTwoCpusParksAndThatOfEightSpins()
    {
        final EffectivePlan small = AffinityPlanner.resolve(AffinityPlan.defaultFor(TWO_CPUS), TWO_CPUS);
        final EffectivePlan large = AffinityPlanner.resolve(AffinityPlan.defaultFor(EIGHT_CPUS), EIGHT_CPUS);
        assertEquals(Topology.FUSED, small.topology());
        assertEquals(Topology.PARALLEL, large.topology());

        assertNotSame(RetryBackoff.SPIN, RetryBackoff.forPlan(small));
        assertSame(RetryBackoff.SPIN, RetryBackoff.forPlan(large));
    }

    @Test
    void theTopologyDecidesNotTheCpuCount()
    {
        final AffinityPlan fusedOnEight = AffinityPlan.defaultFor(EIGHT_CPUS).withTopology(Topology.FUSED);
        assertNotSame(RetryBackoff.SPIN, RetryBackoff.forPlan(AffinityPlanner.resolve(fusedOnEight, EIGHT_CPUS)));
    }

    @Test
    void aParkOfNoTimeIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> RetryBackoff.parkNanos(0));
    }
}
