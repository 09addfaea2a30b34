package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandCodec;
import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.CommandView;
import io.stockflow.engine.command.TestCommands;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        run(live, workload, 150_000);

        final List<Long> restoredExpired = new ArrayList<>();
        final StateRestorer restorer = new StateRestorer(new FulfillmentRules(restoredExpired::add));
        copyShuffled(live.view(), restorer, new Random(3));
        final FulfillmentRules restored = restorer.complete(live.view().stateHash());
        assertEquals(live.view().stateHash(), restored.view().stateHash());
        assertEquals(live.view().skuCount(), restored.view().skuCount());
        assertEquals(live.view().orderCount(), restored.view().orderCount());
        assertEquals(live.view().events(), restored.view().events());
        assertEquals(live.view().lastSequence(), restored.view().lastSequence());
        assertEquals(live.view().eventTime(), restored.view().eventTime());
        assertTrue(live.view().pendingExpiryEntries() >= restored.view().pendingExpiryEntries());

        final int expiries = applyToBoth(workload, 100_000, live, liveExpired, restored, restoredExpired);
        restored.view().checkInvariants();
        assertTrue(expiries > 1_000, "expiries=" + expiries);
    }

    /**
     * A restore large enough for the helper thread (it rebuilds the retention queue while the caller
     * indexes) gives the state a restore on the calling thread alone gives: the same hash, the same
     * queues, and the same outcomes, expiries and forgetting for the commands after it, a RULES command
     * that turns retention on first, so the restored retention queue is what forgets.
     */
    @Test
    void shouldRestoreTheSameStateWithAHelperThreadAsOnTheCallingThreadAlone()
    {
        final FulfillmentRules live = new FulfillmentRules(ExpiryListener.NONE);
        final RandomWorkload workload = new RandomWorkload(17, 400, false);
        // No retention yet, so every order is held and the held count only grows.
        for (int runs = 0; runs < 100 && live.view().orderCount() < StateRestorer.HELPER_MIN_ORDERS + 10_000; runs++)
        {
            run(live, workload, 10_000);
        }
        assertTrue(live.view().orderCount() >= StateRestorer.HELPER_MIN_ORDERS + 10_000,
            "orders held: " + live.view().orderCount());
        assertTrue(live.view().pendingRetentionEntries() > 10_000, "settled orders queued");
        final List<Long> aloneExpired = new ArrayList<>();
        final List<Long> helpedExpired = new ArrayList<>();
        final StateRestorer alone = new StateRestorer(new FulfillmentRules(aloneExpired::add));
        final StateRestorer helped =
            new StateRestorer(new FulfillmentRules(helpedExpired::add), StateRestorer.Threads.CALLER_AND_HELPER);
        copyShuffled(live.view(), alone, new Random(5));
        copyShuffled(live.view(), helped, new Random(6));
        final FulfillmentRules restoredAlone = alone.complete(live.view().stateHash());
        final FulfillmentRules restoredHelped = helped.complete(live.view().stateHash());
        assertFalse(alone.completedWithHelper());
        assertEquals(Runtime.getRuntime().availableProcessors() > 1, helped.completedWithHelper());
        assertEquals(restoredAlone.view().pendingRetentionEntries(), restoredHelped.view().pendingRetentionEntries());
        assertEquals(restoredAlone.view().pendingExpiryEntries(), restoredHelped.view().pendingExpiryEntries());
        restoredHelped.view().checkInvariants();

        final CommandView retention = TestCommands.rules(CommandFields.RETENTION_MS_GIVEN, 60_000, 0, 0);
        final long now = restoredHelped.view().eventTime();
        final int accepted = restoredHelped.apply(now, retention);
        assertEquals("ACCEPTED", Outcome.name(accepted));
        assertEquals(accepted, restoredAlone.apply(now, retention));
        applyToBoth(workload, 100_000, restoredAlone, aloneExpired, restoredHelped, helpedExpired);
        assertEquals(restoredAlone.view().ordersForgotten(), restoredHelped.view().ordersForgotten());
        assertTrue(restoredHelped.view().ordersForgotten() > 10_000,
            "orders forgotten: " + restoredHelped.view().ordersForgotten());
        restoredHelped.view().checkInvariants();
    }

    @Test
    void shouldRefuseAnOrderRestoredTwiceWithAHelperThreadAndLeaveNoHelperRunning()
    {
        final StateRestorer restorer =
            new StateRestorer(new FulfillmentRules(ExpiryListener.NONE), StateRestorer.Threads.CALLER_AND_HELPER);
        restorer.restoreSku(1, 1_000_000, 0);
        final long[] sku = {1};
        final long[] qty = {2};
        final long[] price = {0};
        for (long order = 1; order <= StateRestorer.HELPER_MIN_ORDERS + 1_000; order++)
        {
            restorer.restoreOrder(order, 7, OrderStatus.SHIPPED, 0, order % 500, 1, sku, qty, price);
        }
        restorer.restoreOrder(4_242, 7, OrderStatus.DELIVERED, 0, 600, 1, sku, qty, price);
        restorer.restoreCounters(1, 1, 1_000);
        final IllegalStateException thrown = assertThrows(IllegalStateException.class, restorer::complete);
        assertTrue(thrown.getMessage().contains("order=4242 restored twice"), thrown.getMessage());
        assertEquals(Runtime.getRuntime().availableProcessors() > 1, restorer.completedWithHelper());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
            .noneMatch(thread -> thread.getName().equals(StateRestorer.HELPER_THREAD_NAME)),
            "the helper ended before the refusal");
    }

    /** An interrupt does not cut the wait for the helper short; the caller gets it back afterwards. */
    @Test
    void shouldFinishARestoreWithAHelperThreadWhenTheCallerIsInterruptedAndKeepTheInterrupt()
    {
        final StateRestorer restorer =
            new StateRestorer(new FulfillmentRules(ExpiryListener.NONE), StateRestorer.Threads.CALLER_AND_HELPER);
        restorer.restoreSku(1, 1_000_000, 0);
        final int orders = StateRestorer.HELPER_MIN_ORDERS + 1_000;
        for (long order = 1; order <= orders; order++)
        {
            restorer.restoreOrder(order, 7, OrderStatus.SHIPPED, 0, order % 500, 1, new long[] {1},
                new long[] {2}, new long[] {0});
        }
        restorer.restoreCounters(orders, orders, 1_000);
        Thread.currentThread().interrupt();
        final FulfillmentRules restored;
        try
        {
            restored = restorer.complete();
        }
        finally
        {
            assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
        }
        assertEquals(orders, restored.view().orderCount());
        assertEquals(orders, restored.view().pendingRetentionEntries());
        restored.view().checkInvariants();
    }

    @Test
    void expectOrdersSizesTheTablesBeforeTheFirstOrderOnly()
    {
        final FulfillmentRules live = new FulfillmentRules(ExpiryListener.NONE);
        run(live, new RandomWorkload(5, 50, true), 20_000);
        final StateRestorer restorer = new StateRestorer(new FulfillmentRules(ExpiryListener.NONE));
        restorer.expectOrders(live.view().orderCount());
        copyShuffled(live.view(), restorer, new Random(9));
        assertThrows(IllegalStateException.class, () -> restorer.expectOrders(1),
            "sizing after orders were restored would rehash them mid-restore");
        assertEquals(live.view().stateHash(), restorer.complete(live.view().stateHash()).view().stateHash());
    }

    @Test
    void shouldRefuseARestoreWhoseHashDiffersFromTheSnapshots()
    {
        final StateRestorer restorer = fresh();
        restorer.restoreSku(1, 10, 0);
        assertThrows(IllegalStateException.class, () -> restorer.complete(12345));
    }

    @Test
    void shouldRefuseReservedCountsThatDisagreeWithReservedOrders()
    {
        final StateRestorer restorer = fresh();
        restorer.restoreSku(1, 10, 3);
        restorer.restoreOrder(5, 7, OrderStatus.RESERVED, 2_000, 0, 1, new long[] {1}, new long[] {2}, new long[] {0});
        restorer.restoreCounters(3, 3, 1_000);
        final IllegalStateException thrown = assertThrows(IllegalStateException.class, restorer::complete);
        assertTrue(thrown.getMessage().contains("sku=1 reserved=3"), thrown.getMessage());
    }

    /** A restore large enough for the radix sort of the retention queue, accepted whole or refused. */
    @Test
    void shouldRestoreALargeStateWithItsRetentionQueueAndStillRefuseWhatBreaksAnInvariant()
    {
        final int orders = 70_000;
        for (final long skuReserved : new long[] {0, 3})
        {
            final StateRestorer restorer = fresh();
            restorer.restoreSku(1, 1_000_000, skuReserved);
            final long[] sku = {1};
            final long[] qty = {2};
            final long[] price = {0};
            for (long order = 1; order <= orders; order++)
            {
                restorer.restoreOrder(order, 7, OrderStatus.SHIPPED, 0, order % 500, 1, sku, qty, price);
            }
            restorer.restoreCounters(orders, orders, 1_000);
            if (skuReserved == 0)
            {
                final FulfillmentRules restored = restorer.complete();
                assertEquals(orders, restored.view().orderCount());
                assertEquals(orders, restored.view().pendingRetentionEntries());
            }
            else
            {
                final IllegalStateException thrown = assertThrows(IllegalStateException.class, restorer::complete);
                assertTrue(thrown.getMessage().contains("sku=1 reserved=3"), thrown.getMessage());
            }
        }
    }

    @Test
    void shouldRefuseAnOrderRestoredTwice()
    {
        final StateRestorer restorer = fresh();
        restorer.restoreSku(1, 10, 0);
        for (final long order : new long[] {5, 6, 5})
        {
            restorer.restoreOrder(order, 7, OrderStatus.SHIPPED, 0, 0, 1, new long[] {1}, new long[] {2},
                new long[] {0});
        }
        final IllegalStateException thrown = assertThrows(IllegalStateException.class, restorer::complete);
        assertTrue(thrown.getMessage().contains("order=5 restored twice"), thrown.getMessage());
    }

    /**
     * The orders are indexed in one pass at the end, a bucket of index slots at a time: every one is found
     * after, sized up front or not (the index then grows during that pass), and ids that are absent are not.
     */
    @Test
    void shouldFindEveryRestoredOrderByItsIdAfterTheBulkIndexing()
    {
        final int orders = 100_000;
        for (final boolean sizedUpFront : new boolean[] {true, false})
        {
            final StateRestorer restorer = fresh();
            if (sizedUpFront)
            {
                restorer.expectOrders(orders);
            }
            restorer.restoreSku(1, 1_000_000, 0);
            final Random random = new Random(11);
            final List<Long> ids = new ArrayList<>();
            for (int i = 0; i < orders; i++)
            {
                // Runs of consecutive ids (as orders are placed) and scattered ones.
                ids.add(i % 2 == 0 ? 1_000_000L + i : 1 + (random.nextLong() >>> 20));
            }
            Collections.shuffle(ids, random);
            for (final long order : ids)
            {
                restorer.restoreOrder(order, 7, OrderStatus.DELIVERED, 0, order % 900, 1, new long[] {1},
                    new long[] {2}, new long[] {0});
            }
            restorer.restoreCounters(orders, orders, 1_000);
            final StateView view = restorer.complete().view();
            assertEquals(orders, view.orderCount());
            for (final long order : ids)
            {
                assertEquals(order % 900, view.orderChangedAt(order), "order " + order);
            }
            assertTrue(!view.hasOrder(999_999L) && !view.hasOrder(1_000_000L + orders));
        }
    }

    @Test
    void shouldRefuseAReservedOrderWhoseDeadlineHasPassed()
    {
        final StateRestorer restorer = fresh();
        restorer.restoreSku(1, 10, 2);
        restorer.restoreOrder(5, 7, OrderStatus.RESERVED, 1_000, 0, 1, new long[] {1}, new long[] {2}, new long[] {0});
        restorer.restoreCounters(3, 3, 1_000);
        assertThrows(IllegalStateException.class, restorer::complete);
    }

    @Test
    void shouldRefuseANonRejectedOrderNamingAnUnknownSkuButAcceptARejectedOne()
    {
        final StateRestorer broken = fresh();
        broken.restoreOrder(5, 7, OrderStatus.SHIPPED, 0, 0, 1, new long[] {1}, new long[] {2}, new long[] {0});
        assertThrows(IllegalStateException.class, broken::complete);

        final StateRestorer fine = fresh();
        fine.restoreOrder(5, 7, OrderStatus.REJECTED, 0, 0, 1, new long[] {1}, new long[] {2}, new long[] {0});
        assertEquals(OrderStatus.REJECTED, fine.complete().view().orderStatus(5));
    }

    @Test
    void shouldRefuseOutOfRangeAndDuplicateEntities()
    {
        final StateRestorer rules = fresh();
        assertThrows(IllegalArgumentException.class, () -> rules.restoreSku(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> rules.restoreSku(1, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> rules.restoreSku(1, Limits.MAX_ON_HAND + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> rules.restoreSku(1, 5, -1));
        rules.restoreSku(1, 5, 0);
        assertThrows(IllegalArgumentException.class, () -> rules.restoreSku(1, 5, 0));
        final long[] one = {1};
        assertThrows(IllegalArgumentException.class,
            () -> rules.restoreOrder(5, 7, OrderStatus.CANCELLED, 0, 0, 0, NO_LINES, NO_LINES, NO_LINES));
        assertThrows(IllegalArgumentException.class,
            () -> rules.restoreOrder(5, 0, OrderStatus.CANCELLED, 0, 0, 1, one, one, one));
        assertThrows(IllegalArgumentException.class, () -> rules.restoreOrder(5, 7, OrderStatus.CANCELLED, 0, 0, 2,
            new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
            () -> rules.restoreOrder(5, 7, OrderStatus.CANCELLED, 0, 0, 1, one, new long[] {0}, one));
        // An order restored twice is refused by complete() (shouldRefuseAnOrderRestoredTwice).
        rules.restoreOrder(5, 7, OrderStatus.CANCELLED, 0, 0, 1, one, one, one);
        assertThrows(IllegalArgumentException.class, () -> rules.restoreCounters(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> rules.restoreCounters(0, -1, 0));
        final FulfillmentRules restored = rules.complete();
        restored.view().checkInvariants();
        assertEquals(1, restored.view().skuCount());
        assertEquals(1, restored.view().orderCount());
    }

    @Test
    void shouldRefuseAnApplyDuringARestoreAndToRestoreOnceCompletedOrLive()
    {
        final FulfillmentRules rules = new FulfillmentRules(ExpiryListener.NONE);
        final StateRestorer restoring = new StateRestorer(rules);
        restoring.restoreSku(1, 5, 0);
        rules.apply(1, view.wrap(slot, 0, CommandCodec.encodeRestock(slot, 0, 1, 1)));
        final IllegalStateException thrown = assertThrows(IllegalStateException.class, restoring::complete);
        assertTrue(thrown.getMessage().contains("applied events during the restore"), thrown.getMessage());

        final StateRestorer completed = fresh();
        completed.restoreSku(2, 5, 0);
        completed.complete();
        assertThrows(IllegalStateException.class, () -> completed.restoreSku(3, 5, 0));
        assertThrows(IllegalStateException.class, () -> completed.restoreCounters(1, 1, 1));
        assertThrows(IllegalStateException.class, completed::complete);

        final FulfillmentRules live = new FulfillmentRules(ExpiryListener.NONE);
        live.apply(1, view.wrap(slot, 0, CommandCodec.encodeRestock(slot, 0, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> new StateRestorer(live));
        final StateRestorer again = fresh();
        final FulfillmentRules restoredOnce = again.complete();
        restoredOnce.apply(1, view.wrap(slot, 0, CommandCodec.encodeRestock(slot, 0, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> new StateRestorer(restoredOnce));
    }

    @Test
    void shouldContinueTheSequenceAndEventTimeAfterRestoredCounters()
    {
        final StateRestorer restorer = fresh();
        restorer.restoreCounters(10, 10, 5_000);
        final FulfillmentRules rules = restorer.complete();
        view.wrap(slot, 0, CommandCodec.encodeRestock(slot, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> rules.checkNext(10, 5_000));
        assertThrows(IllegalArgumentException.class, () -> rules.checkNext(11, 4_999));
        rules.checkNext(11, 5_000);
        assertEquals(Outcome.ACCEPTED, rules.apply(4_000, view));
        assertEquals(11, rules.view().events());
        assertEquals(11, rules.view().lastSequence());
        assertEquals(5_000, rules.view().eventTime(), "a restored event time is the previous one");
    }

    private static StateRestorer fresh()
    {
        return new StateRestorer(new FulfillmentRules(ExpiryListener.NONE));
    }

    /**
     * Applies the workload's next commands to two rules that should be in the same state, checking
     * after each that the outcome, the sequence, the expiries reported and the state hash agree.
     *
     * @return the expiries reported.
     */
    private int applyToBoth(final RandomWorkload workload, final int count,
        final FulfillmentRules first, final List<Long> firstExpired,
        final FulfillmentRules second, final List<Long> secondExpired)
    {
        int expiries = 0;
        for (int i = 0; i < count; i++)
        {
            final long time = workload.nextTime();
            view.wrap(slot, 0, workload.next(slot, 0));
            firstExpired.clear();
            secondExpired.clear();
            assertEquals(first.apply(time, view), second.apply(time, view));
            assertEquals(first.view().lastSequence(), second.view().lastSequence());
            assertEquals(firstExpired, secondExpired);
            assertEquals(first.view().stateHash(), second.view().stateHash());
            expiries += secondExpired.size();
        }
        return expiries;
    }

    private void run(final FulfillmentRules rules, final RandomWorkload workload, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final long time = workload.nextTime();
            view.wrap(slot, 0, workload.next(slot, 0));
            rules.apply(time, view);
        }
    }

    /** Copies through the visitors and the restore API, in a shuffled order, as a snapshot would. */
    private static void copyShuffled(final StateView from, final StateRestorer to, final Random random)
    {
        final List<Runnable> steps = new ArrayList<>();
        from.forEachSku((sku, onHand, reserved) -> steps.add(() -> to.restoreSku(sku, onHand, reserved)));
        from.forEachOrder((order, account, status, deadline, changedAt, lines) ->
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
            steps.add(() -> to.restoreOrder(order, account, status, deadline, changedAt, count, skus, qtys, prices));
        });
        steps.add(() -> to.restoreCounters(from.events(), from.lastSequence(), from.eventTime()));
        steps.add(() -> to.restoreParameters(from.retentionMs(), from.orderCapacity(), from.skuCapacity(),
            from.ordersForgotten()));
        Collections.shuffle(steps, random);
        steps.forEach(Runnable::run);
    }
}
