package io.stockflow.engine.rules;

import io.stockflow.engine.command.CommandFields;
import io.stockflow.engine.command.TestCommands;
import org.junit.jupiter.api.Test;

import static io.stockflow.engine.rules.RulesDriver.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * docs/DOMAIN.md "Order retention" and "Rule parameters": settled orders forgotten
 * {@code retentionMs} after their last status change, forgotten ids unknown and reusable,
 * stale queue entries that never touch a new order with a reused id, the capacities,
 * and RULES.
 */
class RetentionRulesTest
{
    private static final long MINUTE = 60_000;

    private final RulesDriver driver = new RulesDriver();

    private String rules(final int given, final long retentionMs, final long orderCapacity, final long skuCapacity)
    {
        return driver.apply(TestCommands.rules(given, retentionMs, orderCapacity, skuCapacity));
    }

    @Test
    void shouldForgetShippedAndDeliveredOrdersAfterTheRetentionFromTheirLastChange()
    {
        driver.rules.initializeParameters(MINUTE, 0, 0);
        driver.restock(1, 100);
        driver.placeLines(10, 1, 1, 5);
        driver.placeLines(11, 1, 1, 5);
        driver.ship(10);
        driver.ship(11);
        driver.at(T0 + 30_000).deliver(11);
        driver.at(T0 + MINUTE - 1).restock(1, 1);
        assertEquals(OrderStatus.SHIPPED, driver.status(10));
        driver.at(T0 + MINUTE).restock(1, 1);
        assertNull(driver.status(10), "SHIPPED order forgotten at changedAt + retention");
        assertEquals(OrderStatus.DELIVERED, driver.status(11), "DELIVER restarted its clock");
        assertEquals("UNKNOWN_ORDER", driver.deliver(10));
        driver.at(T0 + 30_000 + MINUTE).restock(1, 1);
        assertNull(driver.status(11));
        assertEquals("UNKNOWN_ORDER", driver.returnOrder(11));
        assertEquals(2, driver.rules.view().ordersForgotten());
        assertEquals(0, driver.rules.view().orderCount());
        assertEquals(0, driver.rules.view().orderLineCount());
        driver.rules.view().checkInvariants();
    }

    @Test
    void shouldNeverForgetAReservedOrderNorAnythingWhileRetentionIsOff()
    {
        driver.restock(1, 100);
        driver.place(10, 7, Limits.MAX_TTL_MS, 1, 1, 5);
        driver.placeLines(11, 1, 1, 5);
        driver.cancel(11);
        driver.at(T0 + Limits.MAX_TTL_MS - 1).restock(1, 1);
        assertEquals(OrderStatus.CANCELLED, driver.status(11), "retention 0 forgets nothing");
        assertEquals("ACCEPTED", rules(CommandFields.RETENTION_MS_GIVEN, MINUTE, 0, 0));
        assertEquals(OrderStatus.CANCELLED, driver.status(11), "a RULES applies from the next command on");
        driver.restock(1, 1);
        assertNull(driver.status(11));
        assertEquals(OrderStatus.RESERVED, driver.status(10));
    }

    @Test
    void shouldReuseAForgottenIdWithoutLettingItsOldExpiryOrForgettingEntryTouchTheNewOrder()
    {
        driver.rules.initializeParameters(MINUTE, 0, 0);
        driver.restock(1, 100);
        driver.place(10, 7, 10 * MINUTE, 1, 1, 5);
        driver.cancel(10);
        driver.ship(10);
        driver.at(T0 + MINUTE).restock(1, 1);
        assertNull(driver.status(10));
        // The old expiry entry (deadline T0 + 10 min) is still queued; the new order 10 reserves until later.
        assertEquals("ACCEPTED", driver.place(10, 8, 20 * MINUTE, 1, 2, 5));
        driver.at(T0 + 10 * MINUTE).restock(1, 1);
        assertEquals(OrderStatus.RESERVED, driver.status(10), "the old expiry entry must not expire the new order");
        assertEquals(2, driver.reserved(1));
        assertEquals(8, driver.rules.view().orderAccount(10));
        driver.ship(10);
        final long shippedAt = driver.time();
        driver.at(shippedAt + MINUTE - 1).restock(1, 1);
        assertEquals(OrderStatus.SHIPPED, driver.status(10));
        driver.at(shippedAt + MINUTE).restock(1, 1);
        assertNull(driver.status(10));
        assertEquals(2, driver.rules.view().ordersForgotten());
        assertEquals("ACCEPTED", driver.place(10, 9, 0, 1, 1, 5), "the id is free again after the second forgetting");
        driver.rules.view().checkInvariants();
    }

    @Test
    void shouldAnswerDuplicateOrderWithinTheRetentionForARejectedPlace()
    {
        driver.rules.initializeParameters(MINUTE, 0, 0);
        assertEquals("UNKNOWN_SKU", driver.placeLines(10, 1, 1, 5));
        assertEquals("DUPLICATE_ORDER", driver.at(T0 + MINUTE - 1).placeLines(10, 1, 1, 5));
        assertEquals("UNKNOWN_SKU", driver.at(T0 + MINUTE).placeLines(10, 1, 1, 5));
    }

    @Test
    void shouldRefuseAtEitherCapacityAndGoOnServingEverythingElse()
    {
        driver.rules.initializeParameters(MINUTE, 2, 1);
        assertEquals("ACCEPTED", driver.restock(1, 100));
        assertEquals("LIMIT_EXCEEDED", driver.restock(2, 100));
        assertFalse(driver.rules.view().hasSku(2));
        assertEquals("ACCEPTED", driver.restock(1, 100), "an existing SKU is still restocked");
        assertEquals("ACCEPTED", driver.placeLines(10, 1, 1, 5));
        assertEquals("INSUFFICIENT_STOCK", driver.placeLines(11, 1, 1_000, 5));
        assertEquals("LIMIT_EXCEEDED", driver.placeLines(12, 1, 1, 5), "REJECTED orders count as held");
        assertNull(driver.status(12), "a PLACE refused at capacity records nothing");
        assertEquals("DUPLICATE_ORDER", driver.placeLines(10, 1, 1, 5), "duplicates are found before the limit");
        assertEquals("ACCEPTED", driver.ship(10));
        assertEquals("ACCEPTED", driver.deliver(10));
        assertEquals("ACCEPTED", driver.adjust(1, -1));
        assertEquals(1, driver.rules.view().orderCapacityRefusals());
        assertEquals(1, driver.rules.view().skuCapacityRefusals());
        driver.at(T0 + MINUTE).restock(1, 1);
        assertEquals("ACCEPTED", driver.placeLines(12, 1, 1, 5), "forgetting makes room");
        assertEquals("ACCEPTED", rules(CommandFields.SKU_CAPACITY_GIVEN, 0, 0, 0));
        assertEquals("ACCEPTED", driver.restock(2, 100), "capacity 0 is no limit");
        assertEquals("ACCEPTED", rules(CommandFields.ORDER_CAPACITY_GIVEN, 0, 1, 0));
        assertEquals(1, driver.rules.view().orderCount(), "lowering a capacity removes nothing");
        assertEquals("LIMIT_EXCEEDED", driver.placeLines(13, 1, 1, 5));
    }

    @Test
    void shouldRejectRulesWithNothingGivenOrAValueOutOfRangeAndChangeNothing()
    {
        driver.rules.initializeParameters(RuleParameters.DEFAULT_RETENTION_MS, RuleParameters.DEFAULT_ORDER_CAPACITY,
            RuleParameters.DEFAULT_SKU_CAPACITY);
        final long hash = driver.rules.view().stateHash();
        assertEquals("INVALID", rules(0, MINUTE, 1, 1));
        assertEquals("INVALID", rules(CommandFields.RETENTION_MS_GIVEN, MINUTE - 1, 0, 0));
        assertEquals("INVALID", rules(CommandFields.RETENTION_MS_GIVEN, RuleParameters.MAX_RETENTION_MS + 1, 0, 0));
        assertEquals("INVALID", rules(CommandFields.ALL_RULE_FIELDS, MINUTE, -1, 1));
        assertEquals("INVALID", rules(CommandFields.ORDER_CAPACITY_GIVEN, 0, RuleParameters.MAX_ORDER_CAPACITY + 1, 0));
        assertEquals("INVALID", rules(CommandFields.SKU_CAPACITY_GIVEN, 0, 0, RuleParameters.MAX_SKU_CAPACITY + 1));
        assertEquals(hash, driver.rules.view().stateHash());
        assertEquals(RuleParameters.DEFAULT_RETENTION_MS, driver.rules.view().retentionMs());
        assertEquals("ACCEPTED", rules(CommandFields.RETENTION_MS_GIVEN | CommandFields.SKU_CAPACITY_GIVEN,
            RuleParameters.MAX_RETENTION_MS, 0, 7));
        assertEquals(RuleParameters.MAX_RETENTION_MS, driver.rules.view().retentionMs());
        assertEquals(RuleParameters.DEFAULT_ORDER_CAPACITY, driver.rules.view().orderCapacity(), "not given: kept");
        assertEquals(7, driver.rules.view().skuCapacity());
        assertFalse(hash == driver.rules.view().stateHash(), "the hash covers the parameters");
    }

    @Test
    void shouldForgetAtTheNextCommandWhenARulesLowersTheRetention()
    {
        driver.rules.initializeParameters(RuleParameters.DEFAULT_RETENTION_MS, 0, 0);
        driver.restock(1, 100);
        driver.placeLines(10, 1, 1, 5);
        driver.cancel(10);
        driver.at(T0 + 10 * MINUTE);
        assertEquals("ACCEPTED", rules(CommandFields.RETENTION_MS_GIVEN, MINUTE, 0, 0));
        assertEquals(OrderStatus.CANCELLED, driver.status(10));
        driver.restock(1, 1);
        assertNull(driver.status(10));
    }

    @Test
    void shouldRefuseParametersOutOfRangeOrAfterTheFirstEvent()
    {
        assertThrows(IllegalArgumentException.class, () -> driver.rules.initializeParameters(1, 0, 0));
        driver.restock(1, 1);
        assertThrows(IllegalStateException.class, () -> driver.rules.initializeParameters(0, 0, 0));
    }

    @Test
    void shouldKeepForgettingOnScheduleAcrossARestore()
    {
        driver.rules.initializeParameters(MINUTE, 100, 0);
        driver.restock(1, 100);
        driver.placeLines(10, 1, 1, 5);
        driver.placeLines(11, 1, 1, 5);
        driver.at(T0 + 20_000).cancel(11);
        driver.ship(10);
        driver.at(T0 + 30_000).placeLines(12, 1, 1, 5);
        driver.cancel(12);
        final StateView live = driver.rules.view();
        final StateRestorer restorer = new StateRestorer(new FulfillmentRules(ExpiryListener.NONE));
        live.forEachSku(restorer::restoreSku);
        live.forEachOrder((order, account, status, deadline, changedAt, lines) ->
        {
            final long[] skus = new long[lines.count()];
            final long[] qtys = new long[lines.count()];
            final long[] prices = new long[lines.count()];
            for (int i = 0; i < lines.count(); i++)
            {
                skus[i] = lines.sku(i);
                qtys[i] = lines.qty(i);
                prices[i] = lines.price(i);
            }
            restorer.restoreOrder(order, account, status, deadline, changedAt, lines.count(), skus, qtys, prices);
        });
        restorer.restoreCounters(live.events(), live.lastSequence(), live.eventTime());
        restorer.restoreParameters(live.retentionMs(), live.orderCapacity(), live.skuCapacity(),
            live.ordersForgotten());
        final FulfillmentRules restored = restorer.complete(live.stateHash());
        final long[] times = {T0 + 20_000 + MINUTE, T0 + 30_000 + MINUTE};
        for (final long time : times)
        {
            driver.at(time).restock(1, 1);
            restored.apply(time, TestCommands.restock(1, 1));
            assertEquals(live.stateHash(), restored.view().stateHash());
            assertEquals(live.orderCount(), restored.view().orderCount());
        }
        assertEquals(0, restored.view().orderCount());
        assertEquals(3, restored.view().ordersForgotten());
    }
}
