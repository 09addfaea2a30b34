package io.stockflow.engine.counters;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counter list is the counters file's content: every counter's name fits its
 * label in the file (layout version 2 finds counters by label), and every counter
 * names its owning thread and says what it counts.
 */
class EngineCounterTest
{
    @Test
    void everyCounterNameFitsItsLabelAndTheFileHasOneLinePerCounter()
    {
        assertEquals(2, CountersLayout.VERSION);
        for (final EngineCounter counter : EngineCounter.values())
        {
            assertTrue(counter.name().length() <= CountersLayout.LABEL_MAX_LENGTH, counter.name());
            assertTrue(counter.name().chars().allMatch(c -> c < 0x80), counter.name());
        }
        assertEquals(CountersLayout.counterOffset(EngineCounter.values().length),
            CountersLayout.fileLength(EngineCounter.values().length));
    }

    @Test
    void everyCounterHasAKnownOwnerAndADescription()
    {
        final Set<String> owners =
            Set.of("publisher", "journal", "logic", "outcome", "snapshot", "sampler", "archiver");
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
