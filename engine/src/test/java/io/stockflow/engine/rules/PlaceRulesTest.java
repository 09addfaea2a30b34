package io.stockflow.engine.rules;

import io.stockflow.engine.command.TestCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.stockflow.engine.rules.RulesDriver.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class PlaceRulesTest
{
    private final RulesDriver driver = new RulesDriver();

    @BeforeEach
    void restockSkusOneToTen()
    {
        for (long sku = 1; sku <= 10; sku++)
        {
            assertEquals("ACCEPTED", driver.restock(sku, 100));
        }
    }

    @Test
    void shouldReserveEveryLineAndRecordTheOrderAsReserved()
    {
        assertEquals("ACCEPTED", driver.place(10, 7, 5_000, 1, 2, 1999, 3, 40, 0));
        assertEquals(OrderStatus.RESERVED, driver.status(10));
        assertEquals(7, driver.rules.view().orderAccount(10));
        assertEquals(T0 + 5_000, driver.rules.view().orderDeadline(10));
        assertEquals(2, driver.reserved(1));
        assertEquals(40, driver.reserved(3));
        assertEquals(100, driver.onHand(1));
        assertEquals(98, driver.rules.view().available(1));
        final OrderLines lines = driver.rules.view().orderLines(10);
        assertEquals(2, lines.count());
        assertEquals(1, lines.sku(0));
        assertEquals(2, lines.qty(0));
        assertEquals(1999, lines.price(0));
        assertEquals(3, lines.sku(1));
        assertEquals(40, lines.qty(1));
        assertEquals(0, lines.price(1));
    }

    @Test
    void shouldUseFifteenMinutesWhenTtlIsZeroAndAcceptSevenDaysExactly()
    {
        assertEquals("ACCEPTED", driver.place(10, 7, 0, 1, 1, 1));
        assertEquals(T0 + 900_000, driver.rules.view().orderDeadline(10));
        assertEquals("ACCEPTED", driver.place(11, 7, 604_800_000, 1, 1, 1));
        assertEquals(T0 + 604_800_000, driver.rules.view().orderDeadline(11));
        assertEquals("ACCEPTED", driver.place(12, 7, 1, 1, 1, 1));
        assertEquals(T0 + 1, driver.rules.view().orderDeadline(12));
    }

    @Test
    void shouldRejectNonPositiveOrderOrAccountAsInvalid()
    {
        assertEquals("INVALID", driver.place(0, 7, 0, 1, 1, 1));
        assertEquals("INVALID", driver.place(-1, 7, 0, 1, 1, 1));
        assertEquals("INVALID", driver.place(Long.MIN_VALUE, 7, 0, 1, 1, 1));
        assertEquals("INVALID", driver.place(10, 0, 0, 1, 1, 1));
        assertEquals("INVALID", driver.place(10, -3, 0, 1, 1, 1));
        assertEquals("INVALID", driver.place(10, Long.MIN_VALUE, 0, 1, 1, 1));
        assertEquals(0, driver.reserved(1));
        assertEquals(0, driver.rules.view().orderCount());
    }

    @Test
    void shouldRejectTtlOutsideZeroToSevenDaysAsInvalid()
    {
        for (final long ttlMs : new long[] {-1, 604_800_001, Long.MIN_VALUE, Long.MAX_VALUE})
        {
            assertEquals("INVALID", driver.place(10, 7, ttlMs, 1, 1, 1), "ttlMs=" + ttlMs);
        }
        assertFalse(driver.rules.view().hasOrder(10));
    }

    @Test
    void shouldAcceptOneToEightLinesAndRejectZeroNineOrAThousandAsInvalid()
    {
        assertEquals("INVALID", driver.apply(TestCommands.placeWithLineCount(10, 7, 0, 0)));
        assertEquals("INVALID", driver.apply(TestCommands.placeWithLineCount(10, 7, 0, 9)));
        assertEquals("INVALID", driver.apply(TestCommands.placeWithLineCount(10, 7, 0, 1000)));
        assertEquals("INVALID", driver.apply(TestCommands.placeWithLineCount(10, 7, 0, Integer.MAX_VALUE)));
        assertFalse(driver.rules.view().hasOrder(10));
        assertEquals("ACCEPTED", driver.apply(TestCommands.placeWithLineCount(10, 7, 0, 8)));
        assertEquals(8, driver.rules.view().orderLines(10).count());
        for (long sku = 1; sku <= 8; sku++)
        {
            assertEquals(1, driver.reserved(sku));
        }
        assertEquals("ACCEPTED", driver.apply(TestCommands.placeWithLineCount(11, 7, 0, 1)));
    }

    @Test
    void shouldRejectALineWithNonPositiveSkuAsInvalid()
    {
        assertEquals("INVALID", driver.placeLines(10, 1, 1, 1, 0, 1, 1));
        assertEquals("INVALID", driver.placeLines(10, 1, 1, 1, -2, 1, 1));
        assertEquals(0, driver.reserved(1));
    }

    @Test
    void shouldAcceptLineQuantityFromOneToOneMillionAndRejectOthersAsInvalid()
    {
        RulesFixtures.fillOnHand(driver, 1, 2_000_000);
        for (final long qty : new long[] {0, -1, 1_000_001, Long.MIN_VALUE, Long.MAX_VALUE})
        {
            assertEquals("INVALID", driver.placeLines(10, 1, qty, 1), "qty=" + qty);
        }
        assertEquals("ACCEPTED", driver.placeLines(10, 1, 1_000_000, 1));
        assertEquals("ACCEPTED", driver.placeLines(11, 1, 1, 1));
        assertEquals(1_000_001, driver.reserved(1));
    }

    @Test
    void shouldAcceptPriceFromZeroToOneBillionAndRejectOthersAsInvalid()
    {
        for (final long price : new long[] {-1, 1_000_000_001, Long.MIN_VALUE, Long.MAX_VALUE})
        {
            assertEquals("INVALID", driver.placeLines(10, 1, 1, price), "price=" + price);
        }
        assertEquals("ACCEPTED", driver.placeLines(10, 1, 1, 0));
        assertEquals("ACCEPTED", driver.placeLines(11, 1, 1, 1_000_000_000));
    }

    @Test
    void shouldRejectTwoLinesNamingTheSameSkuAsInvalid()
    {
        assertEquals("INVALID", driver.placeLines(10, 1, 1, 1, 1, 1, 1));
        assertEquals("INVALID", driver.placeLines(10, 1, 1, 1, 2, 1, 1, 3, 1, 1, 2, 5, 5));
        assertEquals(0, driver.reserved(1));
        assertFalse(driver.rules.view().hasOrder(10));
    }

    @Test
    void shouldRecordNothingForAnInvalidPlaceSoTheIdStaysFree()
    {
        assertEquals("INVALID", driver.place(10, 7, -1, 1, 1, 1));
        assertFalse(driver.rules.view().hasOrder(10));
        assertNull(driver.status(10));
        assertEquals("UNKNOWN_ORDER", driver.cancel(10));
        assertEquals("ACCEPTED", driver.placeLines(10, 1, 1, 1));
    }

    @Test
    void shouldRejectAnIdRecordedInAnyStatusAsDuplicateOrder()
    {
        assertEquals("ACCEPTED", driver.placeLines(10, 1, 1, 1));
        assertEquals("DUPLICATE_ORDER", driver.placeLines(10, 1, 1, 1));
        assertEquals("ACCEPTED", driver.cancel(10));
        assertEquals("DUPLICATE_ORDER", driver.placeLines(10, 1, 1, 1));
        assertEquals("UNKNOWN_SKU", driver.placeLines(11, 99, 1, 1));
        assertEquals("DUPLICATE_ORDER", driver.placeLines(11, 1, 1, 1));
        assertEquals("ACCEPTED", driver.placeLines(12, 2, 1, 1));
        assertEquals("ACCEPTED", driver.ship(12));
        assertEquals("DUPLICATE_ORDER", driver.placeLines(12, 1, 1, 1));
        assertEquals(OrderStatus.SHIPPED, driver.status(12));
        assertEquals(0, driver.reserved(1));
    }

    @Test
    void shouldCheckInvalidBeforeDuplicateOrder()
    {
        assertEquals("ACCEPTED", driver.placeLines(10, 1, 1, 1));
        assertEquals("INVALID", driver.placeLines(10, 1, 0, 1));
        assertEquals("INVALID", driver.placeLines(10, 1, 1, 1, 1, 1, 1));
    }

    @Test
    void shouldCheckDuplicateOrderBeforeUnknownSkuAndInsufficientStock()
    {
        assertEquals("ACCEPTED", driver.placeLines(10, 1, 1, 1));
        assertEquals("DUPLICATE_ORDER", driver.placeLines(10, 99, 1, 1));
        assertEquals("DUPLICATE_ORDER", driver.placeLines(10, 1, 1_000_000, 1));
    }

    @Test
    void shouldCheckUnknownSkuOnEveryLineBeforeInsufficientStockOnAny()
    {
        assertEquals("UNKNOWN_SKU", driver.placeLines(10, 1, 101, 1, 99, 1, 1));
        assertEquals(OrderStatus.REJECTED, driver.status(10));
    }

    @Test
    void shouldRecordAnUnknownSkuPlaceAsRejectedWithItsLinesAndReserveNothing()
    {
        final long skusBefore = driver.rules.view().skuCount();
        assertEquals("UNKNOWN_SKU", driver.place(10, 3, 1, 1, 5, 50, 99, 5, 50));
        assertEquals(OrderStatus.REJECTED, driver.status(10));
        assertEquals(0, driver.reserved(1));
        assertEquals(skusBefore, driver.rules.view().skuCount());
        assertFalse(driver.rules.view().hasSku(99));
        assertEquals(0, driver.rules.view().orderDeadline(10));
        final OrderLines lines = driver.rules.view().orderLines(10);
        assertEquals(2, lines.count());
        assertEquals(99, lines.sku(1));
        assertEquals(5, lines.qty(1));
        assertEquals(50, lines.price(1));
        assertEquals(3, driver.rules.view().orderAccount(10));
    }

    @Test
    void shouldRejectAQuantityAboveAvailableAsInsufficientStockAllOrNothing()
    {
        assertEquals("ACCEPTED", driver.placeLines(9, 2, 30, 1));
        assertEquals("INSUFFICIENT_STOCK", driver.placeLines(10, 1, 5, 1, 2, 71, 1));
        assertEquals(OrderStatus.REJECTED, driver.status(10));
        assertEquals(0, driver.reserved(1));
        assertEquals(30, driver.reserved(2));
        assertEquals(2, driver.rules.view().orderLines(10).count());
        assertEquals("ACCEPTED", driver.placeLines(11, 1, 5, 1, 2, 70, 1));
        assertEquals(100, driver.reserved(2));
        assertEquals(0, driver.rules.view().available(2));
    }

    @Test
    void shouldAnswerARetryOfARejectedOrderWithDuplicateOrderEvenOnceStockArrives()
    {
        assertEquals("INSUFFICIENT_STOCK", driver.placeLines(10, 1, 101, 1));
        assertEquals("ACCEPTED", driver.restock(1, 1));
        assertEquals("DUPLICATE_ORDER", driver.placeLines(10, 1, 101, 1));
        assertEquals("UNKNOWN_SKU", driver.placeLines(11, 42, 1, 1));
        assertEquals("ACCEPTED", driver.restock(42, 5));
        assertEquals("DUPLICATE_ORDER", driver.placeLines(11, 42, 1, 1));
        assertEquals(OrderStatus.REJECTED, driver.status(10));
        assertEquals(OrderStatus.REJECTED, driver.status(11));
        assertEquals(0, driver.reserved(42));
    }

    @Test
    void shouldSaturateTheDeadlineAtTheEndOfTime()
    {
        driver.at(Long.MAX_VALUE - 10);
        assertEquals("ACCEPTED", driver.place(10, 7, 0, 1, 1, 1));
        assertEquals(Long.MAX_VALUE, driver.rules.view().orderDeadline(10));
        assertEquals(OrderStatus.RESERVED, driver.status(10));
        driver.rules.view().checkInvariants();
    }
}
