package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestoreTest
{
    private static final long[] NO_LINES = new long[0];

    private final byte[] slot = new byte[CommandCodec.MAX_ENCODED_LENGTH];
    private final CommandView view = new CommandView();

    @Test
    void shouldReproduceTheStateAndHashFromVisitorsAndThenContinueIdentically()
    {
        final List<Long> liveExpired = new ArrayList<>();
        final FulfillmentRules live = new FulfillmentRules(liveExpired::add);
        final RandomWorkload workload = new RandomWorkload(11, 100, true);
        run(live, workload, 1, 150_000);

        final List<Long> restoredExpired = new ArrayList<>();
        final FulfillmentRules restored = new FulfillmentRules(restoredExpired::add);
        copyShuffled(live, restored, new Random(3));
        assertEquals(live.stateHash(), restored.completeRestore(live.stateHash()));
        assertEquals(live.skuCount(), restored.skuCount());
        assertEquals(live.orderCount(), restored.orderCount());
        assertEquals(live.events(), restored.events());
        assertEquals(live.lastSequence(), restored.lastSequence());
        assertEquals(live.eventTime(), restored.eventTime());
        assertTrue(live.pendingExpiryEntries() >= restored.pendingExpiryEntries());

        int expiries = 0;
        for (int i = 0; i < 100_000; i++)
        {
            final long sequence = live.lastSequence() + 1;
            final long time = workload.nextTime();
            view.wrap(slot, 0, workload.next(slot, 0));
            liveExpired.clear();
            restoredExpired.clear();
            assertEquals(live.apply(sequence, time, view), restored.apply(sequence, time, view));
            assertEquals(liveExpired, restoredExpired);
            assertEquals(live.stateHash(), restored.stateHash());
            expiries += restoredExpired.size();
        }
        restored.checkInvariants();
        assertTrue(expiries > 1_000, "expiries=" + expiries);
    }

    @Test
    void shouldRefuseARestoreWhoseHashDiffersFromTheSnapshots()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        rules.restoreSku(1, 10, 0);
        assertThrows(IllegalStateException.class, () -> rules.completeRestore(12345));
    }

    @Test
    void shouldRefuseReservedCountsThatDisagreeWithReservedOrders()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        rules.restoreSku(1, 10, 3);
        rules.restoreOrder(5, 7, OrderStatus.RESERVED, 2_000, 1, new long[] {1}, new long[] {2}, new long[] {0});
        rules.restoreCounters(3, 3, 1_000);
        final IllegalStateException thrown = assertThrows(IllegalStateException.class, rules::completeRestore);
        assertTrue(thrown.getMessage().contains("sku=1 reserved=3"), thrown.getMessage());
    }

    @Test
    void shouldRefuseAReservedOrderWhoseDeadlineHasPassed()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        rules.restoreSku(1, 10, 2);
        rules.restoreOrder(5, 7, OrderStatus.RESERVED, 1_000, 1, new long[] {1}, new long[] {2}, new long[] {0});
        rules.restoreCounters(3, 3, 1_000);
        assertThrows(IllegalStateException.class, rules::completeRestore);
    }

    @Test
    void shouldRefuseANonRejectedOrderNamingAnUnknownSkuButAcceptARejectedOne()
    {
        final FulfillmentRules broken = new FulfillmentRules(ExpiryListener.NONE);
        broken.restoreOrder(5, 7, OrderStatus.SHIPPED, 0, 1, new long[] {1}, new long[] {2}, new long[] {0});
        assertThrows(IllegalStateException.class, broken::completeRestore);

        final FulfillmentRules fine = new FulfillmentRules(ExpiryListener.NONE);
        fine.restoreOrder(5, 7, OrderStatus.REJECTED, 0, 1, new long[] {1}, new long[] {2}, new long[] {0});
        fine.completeRestore();
        assertEquals(OrderStatus.REJECTED, fine.orderStatus(5));
    }

    @Test
    void shouldRefuseOutOfRangeAndDuplicateEntities()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        assertThrows(IllegalArgumentException.class, () -> rules.restoreSku(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> rules.restoreSku(1, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> rules.restoreSku(1, Limits.MAX_ON_HAND + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> rules.restoreSku(1, 5, -1));
        rules.restoreSku(1, 5, 0);
        assertThrows(IllegalArgumentException.class, () -> rules.restoreSku(1, 5, 0));
        final long[] one = {1};
        assertThrows(IllegalArgumentException.class,
            () -> rules.restoreOrder(5, 7, OrderStatus.CANCELLED, 0, 0, NO_LINES, NO_LINES, NO_LINES));
        assertThrows(IllegalArgumentException.class,
            () -> rules.restoreOrder(5, 0, OrderStatus.CANCELLED, 0, 1, one, one, one));
        assertThrows(IllegalArgumentException.class, () -> rules.restoreOrder(
            5, 7, OrderStatus.CANCELLED, 0, 2, new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
            () -> rules.restoreOrder(5, 7, OrderStatus.CANCELLED, 0, 1, one, new long[] {0}, one));
        rules.restoreOrder(5, 7, OrderStatus.CANCELLED, 0, 1, one, one, one);
        assertThrows(IllegalArgumentException.class,
            () -> rules.restoreOrder(5, 7, OrderStatus.CANCELLED, 0, 1, one, one, one));
        assertEquals(rules.stateHash(), rules.completeRestore());
    }

    @Test
    void shouldRefuseToApplyDuringARestoreAndToRestoreOnceLive()
    {
        final FulfillmentRules restoring = new FulfillmentRules(ExpiryListener.NONE);
        restoring.restoreSku(1, 5, 0);
        assertThrows(IllegalStateException.class,
            () -> restoring.apply(1, 1, view.wrap(slot, 0, CommandCodec.encodeRestock(slot, 0, 1, 1))));
        assertThrows(IllegalStateException.class, restoring::checkInvariants);
        restoring.completeRestore();
        assertThrows(IllegalStateException.class, () -> restoring.restoreSku(2, 5, 0));
        assertThrows(IllegalStateException.class, restoring::completeRestore);

        final FulfillmentRules live = new FulfillmentRules(ExpiryListener.NONE);
        live.apply(1, 1, view.wrap(slot, 0, CommandCodec.encodeRestock(slot, 0, 1, 1)));
        assertThrows(IllegalStateException.class, () -> live.restoreCounters(1, 1, 1));
    }

    @Test
    void shouldContinueTheSequenceAndEventTimeAfterRestoredCounters()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        rules.restoreCounters(10, 10, 5_000);
        rules.completeRestore();
        view.wrap(slot, 0, CommandCodec.encodeRestock(slot, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> rules.apply(10, 5_000, view));
        assertThrows(IllegalArgumentException.class, () -> rules.apply(11, 4_999, view));
        assertEquals(Outcome.ACCEPTED, rules.apply(11, 5_000, view));
        assertEquals(11, rules.events());
    }

    private void run(final FulfillmentRules rules, final RandomWorkload workload, final long firstSequence,
        final int count)
    {
        for (long sequence = firstSequence; sequence < firstSequence + count; sequence++)
        {
            final long time = workload.nextTime();
            view.wrap(slot, 0, workload.next(slot, 0));
            rules.apply(sequence, time, view);
        }
    }

    /** Copies through the visitors and the restore API, in a shuffled order, as a snapshot would. */
    private static void copyShuffled(final FulfillmentRules from, final FulfillmentRules to, final Random random)
    {
        final List<Runnable> steps = new ArrayList<>();
        from.forEachSku((sku, onHand, reserved) -> steps.add(() -> to.restoreSku(sku, onHand, reserved)));
        from.forEachOrder((order, account, status, deadline, lines) ->
        {
            final int count = lines.count();
            final long[] skus = new long[count];
            final long[] qtys = new long[count];
            final long[] prices = new long[count];
            for (int i = 0; i < count; i++)
            {
                skus[i] = lines.sku(i);
                qtys[i] = lines.qty(i);
                prices[i] = lines.price(i);
            }
            steps.add(() -> to.restoreOrder(order, account, status, deadline, count, skus, qtys, prices));
        });
        steps.add(() -> to.restoreCounters(from.events(), from.lastSequence(), from.eventTime()));
        Collections.shuffle(steps, random);
        steps.forEach(Runnable::run);
    }
}
