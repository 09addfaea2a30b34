package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.RejectReason;
import io.stockflow.engine.command.TestCommands;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventSequencingTest
{
    private final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);

    @Test
    void shouldCountEveryAppliedCommandAcceptedOrRejected()
    {
        assertEquals(0, rules.view().events());
        assertEquals(0, rules.view().lastSequence());
        assertEquals(0, rules.view().eventTime());
        assertEquals(Outcome.ACCEPTED, rules.apply(100, TestCommands.restock(1, 1)));
        assertEquals(Outcome.rejected(RejectReason.INVALID), rules.apply(150, TestCommands.restock(0, 1)));
        assertEquals(2, rules.view().events());
        assertEquals(2, rules.view().lastSequence());
        assertEquals(150, rules.view().eventTime());
    }

    @Test
    void shouldGiveEachCommandTheNextSequenceAndTheMaximumOfItsTsAndThePreviousEventTime()
    {
        rules.apply(1_000, TestCommands.restock(1, 1));
        assertEquals(1, rules.view().lastSequence());
        assertEquals(1_000, rules.view().eventTime());
        rules.apply(999, TestCommands.restock(1, 1));
        assertEquals(2, rules.view().lastSequence());
        assertEquals(1_000, rules.view().eventTime(), "a ts going backwards gets the previous event time");
        rules.apply(1_000, TestCommands.restock(1, 1));
        assertEquals(1_000, rules.view().eventTime(), "an equal ts keeps it");
        rules.apply(2_500, TestCommands.restock(1, 1));
        assertEquals(4, rules.view().lastSequence());
        assertEquals(2_500, rules.view().eventTime());
        assertEquals(4, rules.view().onHand(1));
    }

    @Test
    void shouldStartEventTimeAtZeroAsAPublisherResumingAnEmptyJournalDoes()
    {
        rules.apply(-5, TestCommands.restock(1, 1));
        rules.apply(-5, TestCommands.restock(1, 1));
        assertEquals(0, rules.view().eventTime());
        assertEquals(2, rules.view().onHand(1));
    }

    @Test
    void shouldExpireByTheComputedEventTimeNotByABackwardsTs()
    {
        final RulesDriver driver = new RulesDriver();
        driver.restock(1, 5);
        assertEquals("ACCEPTED", driver.place(10, 7, 1_000, 1, 2, 0));
        driver.at(RulesDriver.T0 + 1_000);
        assertEquals("ACCEPTED", driver.restock(1, 1));
        assertEquals(OrderStatus.EXPIRED, driver.status(10));
        driver.at(RulesDriver.T0);
        assertEquals("ACCEPTED", driver.place(11, 7, 1_000, 1, 2, 0));
        assertEquals(RulesDriver.T0 + 2_000, driver.rules.view().orderDeadline(11),
            "the deadline counts from the event time, not from the earlier ts");
    }

    @Test
    void shouldRefuseAStampedEventTimeGoingBackwardsWithoutChangingAnything()
    {
        rules.apply(1_000, TestCommands.restock(1, 1));
        final long hash = rules.view().stateHash();
        rules.checkNext(2, 1_000);
        rules.checkNext(2, 1_001);
        final IllegalArgumentException thrown =
            assertThrows(IllegalArgumentException.class, () -> rules.checkNext(2, 999));
        assertEquals("eventTime=999 before previous eventTime=1000", thrown.getMessage());
        assertEquals(1, rules.view().events());
        assertEquals(1, rules.view().lastSequence());
        assertEquals(1_000, rules.view().eventTime());
        assertEquals(hash, rules.view().stateHash());
    }

    @Test
    void shouldRefuseAStampedSequenceThatIsNotTheNextOne()
    {
        assertThrows(IllegalArgumentException.class, () -> rules.checkNext(0, 1));
        assertThrows(IllegalArgumentException.class, () -> rules.checkNext(2, 1));
        rules.checkNext(1, 1_000);
        rules.apply(1_000, TestCommands.restock(1, 1));
        final IllegalArgumentException thrown =
            assertThrows(IllegalArgumentException.class, () -> rules.checkNext(1, 1_000));
        assertEquals("sequence=1 is not the next sequence 2", thrown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rules.checkNext(3, 1_000));
        rules.checkNext(2, 1_000);
        assertEquals(1, rules.view().onHand(1));
        assertEquals(1, rules.view().lastSequence());
    }

    @Test
    void shouldConsumeTheSequenceAndEventTimeOfASkippedCommandAndNothingElse()
    {
        rules.apply(1_000, TestCommands.restock(1, 1));
        final long hash = rules.view().stateHash();
        rules.skip(2_000);
        assertEquals(2, rules.view().lastSequence());
        assertEquals(2_000, rules.view().eventTime());
        assertEquals(1, rules.view().events(), "a skipped command is not an applied one");
        assertEquals(hash, rules.view().stateHash());
        rules.checkNext(3, 2_000);
    }

    @Test
    void shouldRefuseAnUnwrappedView()
    {
        assertThrows(IllegalStateException.class, () -> rules.apply(1, new CommandView()));
        assertEquals(0, rules.view().events());
        assertEquals(0, rules.view().lastSequence(), "no sequence consumed");
    }

    @Test
    void shouldDecodeOutcomeCodes()
    {
        assertEquals(true, Outcome.isAccepted(Outcome.ACCEPTED));
        assertEquals(null, Outcome.rejectReason(Outcome.ACCEPTED));
        for (final RejectReason reason : RejectReason.values())
        {
            final int outcome = Outcome.rejected(reason);
            assertEquals(false, Outcome.isAccepted(outcome));
            assertEquals(reason, Outcome.rejectReason(outcome));
            assertEquals(reason.name(), Outcome.name(outcome));
        }
        assertEquals("ACCEPTED", Outcome.name(Outcome.ACCEPTED));
        assertThrows(IllegalArgumentException.class, () -> Outcome.rejectReason(99));
    }

    @Test
    void shouldKeepOrderStatusCodesStable()
    {
        int code = 1;
        for (final OrderStatus status : new OrderStatus[] {OrderStatus.RESERVED, OrderStatus.CANCELLED,
            OrderStatus.EXPIRED, OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.RETURNED,
            OrderStatus.REJECTED})
        {
            assertEquals(code++, status.code());
            assertEquals(status, OrderStatus.fromCode(status.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> OrderStatus.fromCode(0));
    }

    @Test
    void shouldStoreOneMoreLineThanTheRulesAllowSoOverlongPlacesStayVisible()
    {
        assertEquals(Limits.MAX_LINES + 1, CommandCodec.MAX_ENCODED_LINES);
    }
}
