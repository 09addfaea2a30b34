package io.stockflow.engine.rules;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AdjustRulesTest
{
    private final RulesDriver driver = new RulesDriver();

    @BeforeEach
    void restockSkuOne()
    {
        assertEquals("ACCEPTED", driver.restock(1, 10));
    }

    @Test
    void shouldCorrectOnHandUpOrDown()
    {
        assertEquals("ACCEPTED", driver.adjust(1, 5));
        assertEquals(15, driver.onHand(1));
        assertEquals("ACCEPTED", driver.adjust(1, -15));
        assertEquals(0, driver.onHand(1));
    }

    @Test
    void shouldRejectNonPositiveSkuZeroDeltaAndDeltaBeyondOneBillionAsInvalid()
    {
        for (final long delta : new long[] {0, Limits.MAX_ADJUST_DELTA + 1, -Limits.MAX_ADJUST_DELTA - 1,
            Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1})
        {
            assertEquals("INVALID", driver.adjust(1, delta), "delta=" + delta);
        }
        assertEquals("INVALID", driver.adjust(0, 1));
        assertEquals("INVALID", driver.adjust(-1, 1));
        assertEquals("INVALID", driver.adjust(Long.MIN_VALUE, 1));
        assertEquals(10, driver.onHand(1));
    }

    @Test
    void shouldAcceptDeltaOfExactlyOneBillionEitherWay()
    {
        assertEquals("ACCEPTED", driver.adjust(1, Limits.MAX_ADJUST_DELTA));
        assertEquals("ACCEPTED", driver.adjust(1, -Limits.MAX_ADJUST_DELTA));
        assertEquals(10, driver.onHand(1));
    }

    @Test
    void shouldRejectAnUnknownSkuWithoutCreatingIt()
    {
        assertEquals("UNKNOWN_SKU", driver.adjust(2, 5));
        assertFalse(driver.rules.view().hasSku(2));
    }

    @Test
    void shouldCheckInvalidBeforeUnknownSku()
    {
        assertEquals("INVALID", driver.adjust(2, 0));
        assertEquals("INVALID", driver.adjust(2, Limits.MAX_ADJUST_DELTA + 1));
    }

    @Test
    void shouldCheckUnknownSkuBeforeInsufficientStock()
    {
        assertEquals("UNKNOWN_SKU", driver.adjust(2, -1_000));
    }

    @Test
    void shouldRejectAnAdjustmentBelowTheReservedCountAsInsufficientStock()
    {
        assertEquals("ACCEPTED", driver.placeLines(50, 1, 4, 100));
        assertEquals("INSUFFICIENT_STOCK", driver.adjust(1, -7));
        assertEquals("ACCEPTED", driver.adjust(1, -6));
        assertEquals(4, driver.onHand(1));
        assertEquals(4, driver.reserved(1));
        assertEquals("INSUFFICIENT_STOCK", driver.adjust(1, -1));
    }

    @Test
    void shouldRejectAnAdjustmentBelowZeroAsInsufficientStock()
    {
        assertEquals("INSUFFICIENT_STOCK", driver.adjust(1, -11));
        assertEquals(10, driver.onHand(1));
    }

    @Test
    void shouldRejectAnAdjustmentAboveTenToTheTwelfthAsLimitExceeded()
    {
        RulesFixtures.fillOnHand(driver, 1, Limits.MAX_ON_HAND - 5);
        assertEquals("LIMIT_EXCEEDED", driver.adjust(1, 6));
        assertEquals("ACCEPTED", driver.adjust(1, 5));
        assertEquals(Limits.MAX_ON_HAND, driver.onHand(1));
    }
}
