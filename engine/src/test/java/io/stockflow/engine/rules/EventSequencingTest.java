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
        assertEquals(0, rules.events());
        assertEquals(0, rules.lastSequence());
        assertEquals(0, rules.eventTime());
        assertEquals(Outcome.ACCEPTED, rules.apply(1, 100, TestCommands.restock(1, 1)));
        assertEquals(Outcome.rejected(RejectReason.INVALID),
            rules.apply(2, 150, TestCommands.restock(0, 1)));
        assertEquals(2, rules.events());
        assertEquals(2, rules.lastSequence());
        assertEquals(150, rules.eventTime());
    }

    @Test
    void shouldAcceptAnEqualEventTimeAndANegativeFirstOne()
    {
        rules.apply(1, -5, TestCommands.restock(1, 1));
        rules.apply(2, -5, TestCommands.restock(1, 1));
        assertEquals(-5, rules.eventTime());
        assertEquals(2, rules.onHand(1));
    }

    @Test
    void shouldRefuseAnEventTimeGoingBackwardsWithoutChangingAnything()
    {
        rules.apply(1, 1_000, TestCommands.restock(1, 1));
        final long hash = rules.stateHash();
        final IllegalArgumentException thrown =
            assertThrows(IllegalArgumentException.class, () -> rules.apply(2, 999, TestCommands.restock(1, 1)));
        assertEquals("eventTime=999 before previous eventTime=1000", thrown.getMessage());
        assertEquals(1, rules.events());
        assertEquals(1, rules.lastSequence());
        assertEquals(1_000, rules.eventTime());
        assertEquals(hash, rules.stateHash());
    }

    @Test
    void shouldRefuseASequenceThatDoesNotIncrease()
    {
        rules.apply(5, 1_000, TestCommands.restock(1, 1));
        assertThrows(IllegalArgumentException.class, () -> rules.apply(5, 1_000, TestCommands.restock(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> rules.apply(4, 1_000, TestCommands.restock(1, 1)));
        assertEquals(1, rules.onHand(1));
        assertThrows(IllegalArgumentException.class,
            () -> new FulfillmentRules(ExpiryListener.NONE).apply(0, 1, TestCommands.restock(1, 1)));
    }

    @Test
    void shouldRefuseAnUnwrappedView()
    {
        assertThrows(IllegalStateException.class, () -> rules.apply(1, 1, new CommandView()));
        assertEquals(0, rules.events());
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
