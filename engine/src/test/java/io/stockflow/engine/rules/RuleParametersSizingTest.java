package io.stockflow.engine.rules;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The start-up heap warning sizes by the measured bytes per held order, twice the state with snapshots on. */
class RuleParametersSizingTest
{
    @Test
    void sizesByTheEngineFigureWithSnapshotsAndByTheRulesAloneWithout()
    {
        assertEquals(1_000_000L * 410 + 1_000L * 128, RuleParameters.bytesAtCapacity(1_000_000, 1_000, true));
        assertEquals(1_000_000L * 155 + 1_000L * 64, RuleParameters.bytesAtCapacity(1_000_000, 1_000, false));
    }

    @Test
    void noLimitNeedsUnboundedHeap()
    {
        assertEquals(Long.MAX_VALUE, RuleParameters.bytesAtCapacity(0, 1_000, true));
        assertEquals(Long.MAX_VALUE, RuleParameters.bytesAtCapacity(1_000, 0, false));
    }
}
