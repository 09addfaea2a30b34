package io.stockflow.engine.rules;

import io.stockflow.engine.command.TestCommands;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventClockTest
{
    @Test
    void shouldGiveGapFreeSequencesFromOneAndAnEventTimeThatNeverGoesBackwards()
    {
        final EventClock clock = new EventClock();
        assertEquals(1, clock.nextSequence());
        assertEquals(100, clock.next(100));
        assertEquals(1, clock.lastSequence());
        assertEquals(100, clock.next(50));
        assertEquals(2, clock.lastSequence());
        assertEquals(100, clock.lastEventTime());
        assertEquals(300, clock.next(300));
        assertEquals(3, clock.lastSequence());
        assertEquals(4, clock.nextSequence());
    }

    @Test
    void shouldPreviewTheEventTimeWithoutAdvancing()
    {
        final EventClock clock = new EventClock();
        clock.next(1_000);
        assertEquals(1_000, clock.eventTimeFor(999));
        assertEquals(1_001, clock.eventTimeFor(1_001));
        assertEquals(1, clock.lastSequence());
        assertEquals(1_000, clock.lastEventTime());
    }

    @Test
    void shouldTreatTheTimeBeforeTheFirstEventAsZero()
    {
        final EventClock clock = new EventClock();
        assertEquals(0, clock.next(-5));
        assertEquals(0, clock.lastEventTime());
    }

    @Test
    void shouldContinueAfterAResumePointAndRefuseANegativeSequence()
    {
        final EventClock clock = new EventClock();
        clock.resumeAfter(41, 7_000);
        assertEquals(42, clock.nextSequence());
        assertEquals(7_000, clock.next(6_000));
        assertEquals(42, clock.lastSequence());
        assertThrows(IllegalArgumentException.class, () -> clock.resumeAfter(-1, 0));
    }

    @Test
    void shouldStampExactlyWhatTheStateMachineComputesFromTheSameTimes()
    {
        final EventClock publisher = new EventClock();
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final long[] times = {5, 3, 3, 10, -1, 10, 11, 2};
        for (final long ts : times)
        {
            final long eventTime = publisher.next(ts);
            rules.checkNext(publisher.lastSequence(), eventTime);
            rules.apply(ts, TestCommands.restock(1, 1));
            assertEquals(publisher.lastSequence(), rules.view().lastSequence());
            assertEquals(eventTime, rules.view().eventTime());
        }
        assertEquals(times.length, rules.view().events());
    }
}
