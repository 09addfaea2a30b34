package io.stockflow.engine.rules;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OrderCommandRulesTest
{
    private final RulesDriver driver = new RulesDriver();

    @BeforeEach
    void restockAndPlace()
    {
        assertEquals("ACCEPTED", driver.restock(1, 100));
        assertEquals("ACCEPTED", driver.restock(2, 100));
        assertEquals("ACCEPTED", driver.placeLines(10, 1, 5, 100, 2, 7, 200));
    }

    @Test
    void shouldCancelAReservedOrderReleasingEveryLine()
    {
        assertEquals("ACCEPTED", driver.cancel(10));
        assertEquals(OrderStatus.CANCELLED, driver.status(10));
        assertEquals(0, driver.reserved(1));
        assertEquals(0, driver.reserved(2));
        assertEquals(100, driver.onHand(1));
        assertEquals(0, driver.rules.view().orderDeadline(10));
    }

    @Test
    void shouldShipAReservedOrderTakingEveryLineOutOfStock()
    {
        assertEquals("ACCEPTED", driver.ship(10));
        assertEquals(OrderStatus.SHIPPED, driver.status(10));
        assertEquals(95, driver.onHand(1));
        assertEquals(93, driver.onHand(2));
        assertEquals(0, driver.reserved(1));
        assertEquals(0, driver.reserved(2));
    }

    @Test
    void shouldDeliverAShippedOrderWithoutTouchingStock()
    {
        assertEquals("ACCEPTED", driver.ship(10));
        final long hashOfSkus = driver.onHand(1) + driver.onHand(2);
        assertEquals("ACCEPTED", driver.deliver(10));
        assertEquals(OrderStatus.DELIVERED, driver.status(10));
        assertEquals(hashOfSkus, driver.onHand(1) + driver.onHand(2));
    }

    @Test
    void shouldReturnADeliveredOrderRestockingEveryLine()
    {
        assertEquals("ACCEPTED", driver.ship(10));
        assertEquals("ACCEPTED", driver.deliver(10));
        assertEquals("ACCEPTED", driver.returnOrder(10));
        assertEquals(OrderStatus.RETURNED, driver.status(10));
        assertEquals(100, driver.onHand(1));
        assertEquals(100, driver.onHand(2));
        assertEquals(0, driver.reserved(1));
    }

    @Test
    void shouldRejectNonPositiveOrderIdsAsInvalidForEveryOrderCommand()
    {
        for (final LongFunction<String> command : orderCommands())
        {
            assertEquals("INVALID", command.apply(0));
            assertEquals("INVALID", command.apply(-10));
            assertEquals("INVALID", command.apply(Long.MIN_VALUE));
        }
        assertEquals(OrderStatus.RESERVED, driver.status(10));
    }

    @Test
    void shouldRejectNeverRecordedOrdersAsUnknownOrderForEveryOrderCommand()
    {
        assertEquals("INVALID", driver.placeLines(11, 1, 0, 1));
        for (final LongFunction<String> command : orderCommands())
        {
            assertEquals("UNKNOWN_ORDER", command.apply(99));
            assertEquals("UNKNOWN_ORDER", command.apply(11));
            assertEquals("UNKNOWN_ORDER", command.apply(Long.MAX_VALUE));
        }
    }

    @Test
    void shouldRejectEveryOrderCommandOnARejectedOrderAsInvalidState()
    {
        assertEquals("UNKNOWN_SKU", driver.placeLines(11, 99, 1, 1));
        for (final LongFunction<String> command : orderCommands())
        {
            assertEquals("INVALID_STATE", command.apply(11));
        }
        assertEquals(OrderStatus.REJECTED, driver.status(11));
    }

    @Test
    void shouldAllowCancelAndShipOnlyWhileReserved()
    {
        assertEquals("INVALID_STATE", driver.deliver(10));
        assertEquals("INVALID_STATE", driver.returnOrder(10));
        assertEquals("ACCEPTED", driver.cancel(10));
        assertEquals("INVALID_STATE", driver.cancel(10));
        assertEquals("INVALID_STATE", driver.ship(10));
        assertEquals("INVALID_STATE", driver.deliver(10));
        assertEquals("INVALID_STATE", driver.returnOrder(10));
        assertEquals(OrderStatus.CANCELLED, driver.status(10));
    }

    @Test
    void shouldAllowDeliverOnlyWhenShippedAndReturnOnlyWhenDelivered()
    {
        assertEquals("ACCEPTED", driver.ship(10));
        assertEquals("INVALID_STATE", driver.ship(10));
        assertEquals("INVALID_STATE", driver.cancel(10));
        assertEquals("INVALID_STATE", driver.returnOrder(10));
        assertEquals("ACCEPTED", driver.deliver(10));
        assertEquals("INVALID_STATE", driver.deliver(10));
        assertEquals("INVALID_STATE", driver.cancel(10));
        assertEquals("ACCEPTED", driver.returnOrder(10));
        assertEquals("INVALID_STATE", driver.returnOrder(10));
        assertEquals("INVALID_STATE", driver.cancel(10));
        assertEquals("INVALID_STATE", driver.ship(10));
        assertEquals("INVALID_STATE", driver.deliver(10));
    }

    @Test
    void shouldRejectAReturnThatWouldPushAnyLineAboveTenToTheTwelfthAsLimitExceeded()
    {
        assertEquals("ACCEPTED", driver.ship(10));
        assertEquals("ACCEPTED", driver.deliver(10));
        RulesFixtures.fillOnHand(driver, 2, Limits.MAX_ON_HAND - 6);
        final long hash = driver.rules.view().stateHash();
        assertEquals("LIMIT_EXCEEDED", driver.returnOrder(10));
        assertEquals(OrderStatus.DELIVERED, driver.status(10));
        assertEquals(95, driver.onHand(1));
        assertEquals(hash, driver.rules.view().stateHash());
        assertEquals("ACCEPTED", driver.adjust(2, -1));
        assertEquals("ACCEPTED", driver.returnOrder(10));
        assertEquals(Limits.MAX_ON_HAND, driver.onHand(2));
        assertEquals(100, driver.onHand(1));
    }

    @Test
    void shouldCheckInvalidStateBeforeLimitExceededOnReturn()
    {
        assertEquals("ACCEPTED", driver.ship(10));
        RulesFixtures.fillOnHand(driver, 1, Limits.MAX_ON_HAND);
        assertEquals("INVALID_STATE", driver.returnOrder(10));
        assertEquals("ACCEPTED", driver.deliver(10));
        assertEquals("LIMIT_EXCEEDED", driver.returnOrder(10));
    }

    private List<LongFunction<String>> orderCommands()
    {
        return List.of(driver::cancel, driver::ship, driver::deliver, driver::returnOrder);
    }
}
