package io.stockflow.engine.rules;

import io.stockflow.engine.command.AllocationMeter;
import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandView;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RulesAllocationTest
{
    private static final int EVENTS_PER_RUN = 20_000;

    private final byte[] slot = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    private final CommandView view = new CommandView();
    private final RandomWorkload workload = new RandomWorkload(3, 500, true);
    private final FulfillmentRules rules = new FulfillmentRules(this::countExpiry, 1_000, 1_000_000);
    private long sequence;
    private long expiries;
    private long accepted;

    @Test
    void shouldApplyARealisticMixWithoutAllocatingWhenWarm()
    {
        final Runnable body = this::applyNextEvents;
        assertEquals(0, AllocationMeter.minBytesAllocated(body, 30, 5));
        assertTrue(expiries > 0 && accepted > 0, "expiries=" + expiries + " accepted=" + accepted);
        rules.view().checkInvariants();
    }

    private void applyNextEvents()
    {
        for (int i = 0; i < EVENTS_PER_RUN; i++)
        {
            final long time = workload.nextTime();
            view.wrap(slot, 0, workload.next(slot, 0));
            rules.checkNext(++sequence, time);
            if (Outcome.isAccepted(rules.apply(time, view)))
            {
                accepted++;
            }
        }
    }

    private void countExpiry(final long orderId)
    {
        expiries++;
    }
}
