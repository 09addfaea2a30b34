package io.stockflow.engine.shadow;

import io.stockflow.engine.command.TestCommands;
import io.stockflow.engine.rules.ExpiryListener;
import io.stockflow.engine.rules.FulfillmentRules;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-over of checkpoint hashes from the live logic to the shadow state. */
class StateCheckpointsTest
{
    private static final long EVERY = 1_024;

    @Test
    void aPublishedCheckpointIsReadUntilItsSlotIsReused()
    {
        final StateCheckpoints checkpoints = new StateCheckpoints(EVERY);
        checkpoints.publish(EVERY, 0x1234L);

        assertEquals(StateCheckpoints.AVAILABLE, checkpoints.hashAt(EVERY));
        assertEquals(0x1234L, checkpoints.lastHash());
        assertEquals(StateCheckpoints.NOT_YET, checkpoints.hashAt(2 * EVERY));

        final long sameSlot = (1 + StateCheckpoints.SLOTS) * EVERY;
        checkpoints.publish(sameSlot, 0x5678L);
        assertEquals(StateCheckpoints.NOT_AVAILABLE, checkpoints.hashAt(EVERY));
        assertEquals(StateCheckpoints.AVAILABLE, checkpoints.hashAt(sameSlot));
        assertEquals(0x5678L, checkpoints.lastHash());
    }

    @Test
    void publishTimedPublishesTheStatesHash()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        rules.apply(1_700_000_000_000L, TestCommands.restock(7, 100));
        final long hash = rules.view().stateHash();
        assertNotEquals(0L, hash);
        final StateCheckpoints checkpoints = new StateCheckpoints(EVERY);

        assertTrue(checkpoints.publishTimed(3 * EVERY, rules.view()) >= 0);

        assertEquals(StateCheckpoints.AVAILABLE, checkpoints.hashAt(3 * EVERY));
        assertEquals(hash, checkpoints.lastHash());
    }

    @Test
    void warmingUpLeavesTheRingTheShadowReadsUntouched()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        rules.apply(1_700_000_000_000L, TestCommands.restock(7, 100));
        final StateCheckpoints checkpoints = new StateCheckpoints(EVERY);
        checkpoints.publish(EVERY, 0x1234L);

        checkpoints.warmUp(rules.view());

        // The warm-up publishes every checkpoint of its scratch ring, the state's hash at each: had it used
        // this ring, the first would now hold that hash and the next ones would be AVAILABLE.
        assertEquals(StateCheckpoints.AVAILABLE, checkpoints.hashAt(EVERY));
        assertEquals(0x1234L, checkpoints.lastHash());
        for (long sequence = 2 * EVERY; sequence <= StateCheckpoints.SLOTS * EVERY; sequence += EVERY)
        {
            assertEquals(StateCheckpoints.NOT_YET, checkpoints.hashAt(sequence), "checkpoint " + sequence);
        }
    }
}
