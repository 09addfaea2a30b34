package io.stockflow.engine.counters;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counter list is the counters file's layout: layout version 1 is the first
 * 41 counters at their ordinals, later counters are appended after them, and
 * every counter names its owning thread and says what it counts.
 */
class EngineCounterTest
{
    @Test
    void versionOneCountersKeepTheirSlotsAndNewOnesAreAppended()
    {
        assertEquals(1, CountersLayout.VERSION);
        assertEquals(0, EngineCounter.PUBLISHED.ordinal());
        assertEquals(7, EngineCounter.JOURNAL_SEQUENCE.ordinal());
        assertEquals(15, EngineCounter.LOGIC_SEQUENCE.ordinal());
        assertEquals(31, EngineCounter.OUTCOME_SEQUENCE.ordinal());
        assertEquals(40, EngineCounter.SNAPSHOT_FAILURES.ordinal());
        assertEquals(41, EngineCounter.JOURNAL_RECORDS.ordinal());
        assertEquals(CountersLayout.counterOffset(EngineCounter.values().length),
            CountersLayout.fileLength(EngineCounter.values().length));
    }

    @Test
    void everyCounterHasAKnownOwnerAndADescription()
    {
        final Set<String> owners = Set.of("publisher", "journal", "logic", "outcome", "snapshot", "sampler");
        for (final EngineCounter counter : EngineCounter.values())
        {
            assertTrue(owners.contains(counter.owner()), counter + " owner " + counter.owner());
            assertFalse(counter.description().isBlank(), counter.name());
        }
    }

    @Test
    void levelsAreToldApartFromCounts()
    {
        assertTrue(EngineCounter.OUTCOME_SEQUENCE.isLevel());
        assertTrue(EngineCounter.RING_FREE.isLevel());
        assertTrue(EngineCounter.LATENCY_P99_NS.isLevel());
        assertFalse(EngineCounter.ACCEPTED.isLevel());
        assertFalse(EngineCounter.JOURNAL_WORK_NS.isLevel());
        assertFalse(EngineCounter.JOURNAL_MINOR_FAULTS.isLevel());
    }
}
