package io.stockflow.engine.rules;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.stockflow.engine.rules.RulesDriver.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ExpiryRulesTest
{
    private final RulesDriver driver = new RulesDriver();

    @BeforeEach
    void restock()
    {
        assertEquals("ACCEPTED", driver.restock(1, 10));
        assertEquals("ACCEPTED", driver.restock(2, 10));
    }

    @Test
    void shouldExpireAtDeadlineEqualToEventTimeBeforeTheCommandIsApplied()
    {
        assertEquals("ACCEPTED", driver.place(10, 7, 1_000, 1, 10, 1));
        driver.at(T0 + 999);
        assertEquals("INSUFFICIENT_STOCK", driver.placeLines(11, 1, 10, 1));
        assertEquals(OrderStatus.RESERVED, driver.status(10));
        assertEquals(List.of(), driver.expired);
        driver.at(T0 + 1_000);
        assertEquals("ACCEPTED", driver.placeLines(12, 1, 10, 1));
        assertEquals(OrderStatus.EXPIRED, driver.status(10));
        assertEquals(List.of(10L), driver.expired);
        assertEquals(10, driver.reserved(1));
        assertEquals(0, driver.rules.view().orderDeadline(10));
    }

    @Test
    void shouldExpireWhateverTheCommandsOwnOutcome()
    {
        assertEquals("ACCEPTED", driver.place(10, 7, 5, 1, 4, 1));
        driver.at(T0 + 5);
        assertEquals("INVALID", driver.restock(0, 0));
        assertEquals(OrderStatus.EXPIRED, driver.status(10));
        assertEquals(0, driver.reserved(1));
        assertEquals(List.of(10L), driver.expired);
    }

    @Test
    void shouldUseTheDefaultFifteenMinutesForTtlZero()
    {
        assertEquals("ACCEPTED", driver.place(10, 7, 0, 1, 1, 1));
        driver.at(T0 + 899_999);
        assertEquals("ACCEPTED", driver.restock(1, 1));
        assertEquals(OrderStatus.RESERVED, driver.status(10));
        driver.at(T0 + 900_000);
        assertEquals("ACCEPTED", driver.restock(1, 1));
        assertEquals(OrderStatus.EXPIRED, driver.status(10));
    }

    @Test
    void shouldExpireInAscendingDeadlineThenOrderIdIncludingEqualDeadlines()
    {
        assertEquals("ACCEPTED", driver.place(30, 7, 3_000, 1, 1, 1));
        assertEquals("ACCEPTED", driver.place(20, 7, 2_000, 1, 1, 1));
        assertEquals("ACCEPTED", driver.place(40, 7, 2_000, 2, 1, 1));
        driver.at(T0 + 1_000);
        assertEquals("ACCEPTED", driver.place(15, 7, 1_000, 2, 1, 1));
        assertEquals("ACCEPTED", driver.place(25, 7, 1_000, 1, 1, 1));
        assertEquals("ACCEPTED", driver.place(5, 7, 5_000, 1, 1, 1));
        assertEquals(T0 + 2_000, driver.rules.view().orderDeadline(15));
        assertEquals(T0 + 2_000, driver.rules.view().orderDeadline(40));
        driver.at(T0 + 3_000);
        assertEquals("UNKNOWN_ORDER", driver.cancel(99));
        assertEquals(List.of(15L, 20L, 25L, 40L, 30L), driver.expired);
        assertEquals(OrderStatus.RESERVED, driver.status(5));
        assertEquals(1, driver.reserved(1));
        assertEquals(0, driver.reserved(2));
    }

    @Test
    void shouldNotExpireOrdersThatLeftReservedAndNotReportThem()
    {
        assertEquals("ACCEPTED", driver.place(10, 7, 100, 1, 1, 1));
        assertEquals("ACCEPTED", driver.place(11, 7, 100, 1, 1, 1));
        assertEquals("ACCEPTED", driver.place(12, 7, 100, 1, 1, 1));
        assertEquals("ACCEPTED", driver.cancel(10));
        assertEquals("ACCEPTED", driver.ship(11));
        driver.at(T0 + 1_000_000);
        assertEquals("ACCEPTED", driver.restock(2, 1));
        assertEquals(List.of(12L), driver.expired);
        assertEquals(OrderStatus.CANCELLED, driver.status(10));
        assertEquals(OrderStatus.SHIPPED, driver.status(11));
        assertEquals(OrderStatus.EXPIRED, driver.status(12));
        assertEquals(9, driver.onHand(1));
        assertEquals(0, driver.reserved(1));
        assertEquals(0, driver.rules.view().pendingExpiryEntries());
    }

    @Test
    void shouldTreatAnExpiredOrderAsFinalAndItsIdAsSpent()
    {
        assertEquals("ACCEPTED", driver.place(10, 7, 1, 1, 1, 1));
        driver.at(T0 + 1);
        assertEquals("INVALID_STATE", driver.cancel(10));
        assertEquals("INVALID_STATE", driver.ship(10));
        assertEquals("DUPLICATE_ORDER", driver.placeLines(10, 1, 1, 1));
        assertEquals(List.of(10L), driver.expired);
    }

    @Test
    void shouldExpireAnOrderPlacedAtTheEndOfTimeOnTheNextEvent()
    {
        driver.at(Long.MAX_VALUE);
        assertEquals("ACCEPTED", driver.place(10, 7, 0, 1, 1, 1));
        assertEquals(OrderStatus.RESERVED, driver.status(10));
        assertEquals("ACCEPTED", driver.restock(1, 1));
        assertEquals(OrderStatus.EXPIRED, driver.status(10));
    }

    @Test
    void shouldExpireManyOrdersInOrderOverOneLongGap()
    {
        assertEquals("ACCEPTED", driver.restock(1, 10_000));
        for (long order = 1_000; order >= 1; order--)
        {
            assertEquals("ACCEPTED", driver.place(order, 7, 1 + (order * 7919) % 1_000, 1, 1, 1));
        }
        driver.at(T0 + 2_000);
        assertEquals("ACCEPTED", driver.restock(2, 1));
        assertEquals(1_000, driver.expired.size());
        long previousDeadline = Long.MIN_VALUE;
        long previousOrder = 0;
        for (final long order : driver.expired)
        {
            final long deadline = T0 + 1 + (order * 7919) % 1_000;
            final boolean ascending =
                deadline > previousDeadline || (deadline == previousDeadline && order > previousOrder);
            assertEquals(true, ascending, "order " + order + " after " + previousOrder);
            previousDeadline = deadline;
            previousOrder = order;
        }
        assertEquals(0, driver.reserved(1));
        driver.rules.view().checkInvariants();
    }
}
