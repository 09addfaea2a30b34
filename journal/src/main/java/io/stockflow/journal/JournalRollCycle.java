package io.stockflow.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

/**
 * How often the journal starts a new file, wrapping the Chronicle Queue roll cycle it uses.
 *
 * <p>The roll cycle is recorded in the journal's metadata file when the journal is created; opening
 * an existing journal with a different roll cycle is refused, because Chronicle would otherwise
 * silently adopt the stored one and the file names and index arithmetic would not be what the
 * caller configured.
 */
public enum JournalRollCycle
{
    /** One file per second; for tests that need many roll-overs quickly. */
    TEST_SECONDLY(TestRollCycles.TEST_SECONDLY),
    /** One file per minute. */
    MINUTELY(LegacyRollCycles.MINUTELY),
    /** One file per hour; the default. */
    HOURLY(RollCycles.FAST_HOURLY),
    /** One file per day. */
    DAILY(RollCycles.FAST_DAILY);

    private final RollCycle chronicleRollCycle;

    JournalRollCycle(RollCycle chronicleRollCycle)
    {
        this.chronicleRollCycle = chronicleRollCycle;
    }

    /**
     * @return the Chronicle Queue roll cycle this value stands for
     */
    public RollCycle chronicleRollCycle()
    {
        return chronicleRollCycle;
    }

    /**
     * @return the length of one cycle in milliseconds
     */
    public long lengthMillis()
    {
        return chronicleRollCycle.lengthInMillis();
    }
}
