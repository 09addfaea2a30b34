package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandView;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class StateHashTest
{
    @Test
    void shouldAgreeBetweenTwoInstancesFedTheSameCommandsAfterEveryEvent()
    {
        final FulfillmentRules first = new FulfillmentRules(ExpiryListener.NONE);
        final FulfillmentRules second = new FulfillmentRules(ExpiryListener.NONE, 1, 1);
        final RandomWorkload workload = new RandomWorkload(7, 50, true);
        final byte[] slot = new byte[CommandCodec.MAX_ENCODED_LENGTH];
        final CommandView view = new CommandView();
        for (int sequence = 1; sequence <= 200_000; sequence++)
        {
            final long time = workload.nextTime();
            view.wrap(slot, 0, workload.next(slot, 0));
            assertEquals(first.apply(time, view), second.apply(time, view));
            assertEquals(sequence, second.view().lastSequence());
            assertEquals(first.view().stateHash(), second.view().stateHash(), "seq=" + sequence);
        }
        first.view().checkInvariants();
        second.view().checkInvariants();
    }

    @Test
    void shouldNotDependOnTheOrderUnrelatedEntitiesWereCreatedIn()
    {
        final RulesDriver forward = new RulesDriver();
        forward.restock(1, 10);
        forward.restock(2, 20);
        forward.placeLines(100, 1, 3, 50);
        forward.placeLines(200, 2, 4, 60);
        forward.placeLines(300, 9, 1, 1);
        final RulesDriver backward = new RulesDriver();
        backward.restock(2, 20);
        backward.placeLines(300, 9, 1, 1);
        backward.placeLines(200, 2, 4, 60);
        backward.restock(1, 10);
        backward.placeLines(100, 1, 3, 50);
        assertEquals(forward.rules.view().stateHash(), backward.rules.view().stateHash());
        assertEquals(OrderStatus.REJECTED, backward.status(300));
    }

    @Test
    void shouldChangeWithEveryStateChangeAndNotWithARejection()
    {
        final RulesDriver driver = new RulesDriver();
        assertEquals(0, driver.rules.view().stateHash());
        long previous = driver.rules.view().stateHash();
        for (final Runnable change : new Runnable[] {
            () -> driver.restock(1, 10), () -> driver.adjust(1, -1), () -> driver.placeLines(5, 1, 2, 3),
            () -> driver.ship(5), () -> driver.deliver(5), () -> driver.returnOrder(5),
            () -> driver.placeLines(6, 1, 1, 1),
            () -> driver.cancel(6), () -> driver.placeLines(7, 8, 1, 1)})
        {
            change.run();
            assertNotEquals(previous, driver.rules.view().stateHash());
            previous = driver.rules.view().stateHash();
        }
        driver.restock(0, 1);
        driver.cancel(6);
        driver.placeLines(5, 1, 1, 1);
        assertEquals(previous, driver.rules.view().stateHash());
        driver.rules.view().checkInvariants();
    }

    @Test
    void shouldDistinguishStatesThatDifferOnlyInWhichEntityHoldsAValue()
    {
        final RulesDriver first = new RulesDriver();
        first.restock(1, 10);
        first.restock(2, 20);
        final RulesDriver second = new RulesDriver();
        second.restock(1, 20);
        second.restock(2, 10);
        assertNotEquals(first.rules.view().stateHash(), second.rules.view().stateHash());

        final RulesDriver linesSwapped = new RulesDriver();
        linesSwapped.restock(1, 10);
        linesSwapped.restock(2, 20);
        first.placeLines(5, 1, 1, 1, 2, 2, 2);
        linesSwapped.placeLines(5, 2, 2, 2, 1, 1, 1);
        assertNotEquals(first.rules.view().stateHash(), linesSwapped.rules.view().stateHash());
    }

    @Test
    void shouldIncludeTheDeadlineOfReservedOrdersOnly()
    {
        final RulesDriver early = new RulesDriver();
        early.restock(1, 10);
        early.place(5, 7, 1_000, 1, 1, 1);
        final RulesDriver late = new RulesDriver();
        late.restock(1, 10);
        late.place(5, 7, 2_000, 1, 1, 1);
        assertNotEquals(early.rules.view().stateHash(), late.rules.view().stateHash());
        early.cancel(5);
        late.cancel(5);
        assertEquals(early.rules.view().stateHash(), late.rules.view().stateHash());
    }
}
